"""The new/edit opportunity form: read and check what was typed, then create or change the opportunity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm import field_checks as check
from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.catalog import Product
from crm.sales.opportunities import STAGE_BY_NUMBER, Opportunity, create_opportunity, edit_opportunity
from i18n import _, _l

SOURCES = {"referral": _l("Referral"), "exhibition": _l("Exhibition"), "website": _l("Website"),
           "tender": _l("Tender notice"), "existing_customer": _l("Existing customer"), "cold_call": _l("Cold call"),
           "other": _l("Other")}
"""Where an opportunity came from: stored key -> label shown (in the reader's language)."""


@dataclass
class OpportunityForm:
    """What was typed (to show again), the per-field messages and the checked values."""

    raw: dict[str, object]
    errors: check.FieldErrors = field(default_factory=check.FieldErrors)
    values: dict[str, object] = field(default_factory=dict)


def blank(customer_id: int | None = None) -> OpportunityForm:
    """The empty form of a new opportunity (customer pre-filled when given)."""
    return OpportunityForm({"customer_id": str(customer_id or ""), "stage": "1", "amount": "", "product_ids": []})


def of(opp: Opportunity) -> OpportunityForm:
    """The form filled from an opportunity, for editing."""
    return OpportunityForm({
        "customer_id": str(opp.customer_id), "name": opp.name, "stage": str(opp.stage), "amount": str(opp.amount),
        "probability": "" if opp.probability_override is None else str(opp.probability_override),
        "expected_close": opp.expected_close.isoformat() if opp.expected_close else "", "source": opp.source,
        "product_ids": [str(p.id) for p in opp.products], "version": str(opp.version),
    })


def read(session: Session, form: Mapping[str, str], product_ids: list[str], scope: set[int] | None,
         *, new: bool) -> OpportunityForm:
    """Check every field; ``values`` holds typed values when ``errors`` is empty."""
    result = OpportunityForm({**{k: form.get(k, "") for k in (
        "customer_id", "name", "stage", "amount", "probability", "expected_close", "source", "version")},
        "product_ids": product_ids})
    errors, values = result.errors, result.values
    if new:
        customer_id = check.whole(form, "customer_id", errors)
        customer = session.get(Customer, customer_id) if customer_id else None
        if customer is None or (scope is not None and customer.owner_id not in scope):
            errors.add("customer_id", _("Choose one of your customers."))
        values["customer"] = customer
    values["name"] = check.text(form, "name", errors, max_length=200, required=True, label=_("title"))
    stage = check.whole(form, "stage", errors, minimum=1, maximum=len(STAGE_BY_NUMBER))
    if stage is None:
        errors.add("stage", _("Choose a stage."))
    values["stage"] = stage
    values["amount"] = check.money(form, "amount", errors)
    probability = check.percent(form, "probability", errors)
    values["probability"] = int(probability) if probability is not None else None
    values["expected_close"] = check.date(form, "expected_close", errors)
    values["source"] = check.choice(form, "source", errors, SOURCES, required=False)
    values["version"] = check.whole(form, "version", errors)
    if not new and values["version"] is None:
        errors.add("version", _("The form is incomplete: reload the page."))
    wanted = {int(p) for p in product_ids if str(p).isdigit()}
    values["products"] = list(session.scalars(select(Product).where(Product.id.in_(wanted)))) if wanted else []
    if len(values["products"]) != len(wanted) or len(wanted) != len(product_ids):
        errors.add("product_ids", _("Choose products from the catalogue."))
    return result


def create(session: Session, checked: OpportunityForm, user: User) -> Opportunity:
    """The new opportunity from a checked form (owned by the customer's owner, else by ``user``)."""
    v = checked.values
    customer: Customer = v["customer"]
    return create_opportunity(session, customer, v["name"], v["amount"], user.username,
                              owner=customer.owner or user, stage=v["stage"], expected_close=v["expected_close"],
                              probability=v["probability"], source=v["source"], products=v["products"])


def save(session: Session, opp: Opportunity, checked: OpportunityForm, user: User) -> Opportunity:
    """Apply a checked edit form (raises :class:`crm.sales.opportunities.StaleEdit` on a concurrent change)."""
    v = checked.values
    return edit_opportunity(session, opp, user.username, version=v["version"], name=v["name"], stage=v["stage"],
                            amount=v["amount"], probability=v["probability"], expected_close=v["expected_close"],
                            source=v["source"], products=v["products"])
