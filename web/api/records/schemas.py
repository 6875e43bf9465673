"""One definition per resource: what the API answers (``*Out``) and what a create or update body may hold
(``*In``). The OpenAPI document's schemas are generated from these classes (pydantic's JSON Schema is the
2020-12 dialect OpenAPI 3.1 uses), so the document cannot drift from the answers.

Bodies are checked for shape here (types, unknown fields ignored); the rules (lengths, bounds, choices, scope)
are the domain checks the pages use, applied to the same values.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

Money = Annotated[Decimal, PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="json"),
                  Field(description="Decimal as text, e.g. \"1250.00\"")]
Instant = Annotated[dt.datetime, PlainSerializer(lambda v: v.replace(tzinfo=None).isoformat() + "Z", return_type=str,
                                                 when_used="json"),
                    WithJsonSchema({"type": "string", "format": "date-time", "description": "UTC"},
                                   mode="serialization")]
"""A stored time (naive UTC) as RFC 3339 text with its ``Z``."""
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Number = str | int | float
"""A decimal in a body: text (\"1,234.50\" accepted, as on the pages) or a JSON number."""


def _ids(value):
    return [item.id for item in value] if isinstance(value, list) else value


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CustomerOut(Out):
    id: int
    company: str
    registry_number: str
    industry: str
    size: str
    region: str
    source: str
    grade: str
    relationship_type: str
    status: str
    phone: str
    email: str
    website: str
    address: str
    owner_id: int | None
    in_roster: bool
    active: bool
    merged_into_id: int | None
    version: int
    created_at: Instant
    updated_at: Instant | None
    updated_by: str


class CustomerIn(BaseModel):
    company: str | None = Field(None, description="Required on create")
    registry_number: str | None = None
    industry: str | None = None
    size: str | None = None
    region: str | None = None
    source: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None
    grade: str | None = Field(None, description="key, ordinary or prospect")
    relationship_type: str | None = Field(None, description="relationship or occasional")
    owner_id: Id | None = Field(None, description="On create, by directors and information officers: the "
                                                  "salesperson who looks after it (default: the caller)")
    confirm_duplicate: bool = Field(False, description="Create or save although likely duplicates exist (else 409 "
                                                       "lists them)")


class ContactOut(Out):
    id: int
    customer_id: int
    name: str
    title: str
    phone: str
    mobile: str
    email: str
    is_main: bool
    opt_out: bool
    active: bool
    version: int
    created_at: Instant
    updated_at: Instant | None


class ContactIn(BaseModel):
    customer_id: Id | None = Field(None, description="Required on create; ignored on update")
    name: str | None = Field(None, description="Required on create")
    title: str | None = None
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    is_main: bool | None = None
    confirm_duplicate: bool = Field(False, description="Create or save although likely duplicate contacts exist "
                                                       "(same name at the customer, same phone or e-mail; else 409 "
                                                       "lists them)")


class OpportunityOut(Out):
    id: int
    customer_id: int
    name: str
    stage: int
    stage_label: str
    probability: int
    amount: Money
    expected_close: dt.date | None
    status: str = Field(description="open, won or lost")
    status_analysis: str
    lost_reason: str
    source: str
    owner_id: int | None
    product_ids: Annotated[list[int], BeforeValidator(_ids)] = Field(validation_alias="products")
    version: int
    created_at: Instant
    updated_at: Instant | None
    closed_at: Instant | None


class OpportunityIn(BaseModel):
    customer_id: Id | None = Field(None, description="Required on create (one of the caller's customers)")
    name: str | None = None
    stage: int | None = Field(None, description="1-9")
    amount: Number | None = None
    probability: Number | None = Field(None, description="Override of the stage's percentage; empty: the default")
    expected_close: str | None = Field(None, description="YYYY-MM-DD")
    source: str | None = None
    product_ids: list[Id] | None = None


class StageChangeIn(BaseModel):
    stage: int = Field(description="1-9")
    probability: Number | None = None
    amount: Number | None = None
    expected_close: str | None = Field(None, description="YYYY-MM-DD")
    analysis: str | None = Field(None, description="Status analysis, at most 2000 characters")


class ActivityOut(Out):
    id: int
    customer_id: int
    contact_id: int | None
    opportunity_id: int | None
    kind: str
    subject: str
    status: str
    planned_for: dt.date | None
    done_at: Instant | None
    outcome: str
    next_action: str
    next_action_date: dt.date | None
    owner_id: int | None
    version: int
    created_at: Instant
    updated_at: Instant | None


class ActivityIn(BaseModel):
    customer_id: Id = Field(description="One of the caller's customers")
    kind: str = Field(description="call, visit, email or meeting")
    subject: str
    outcome: str | None = None
    contact_id: Id | None = None
    next_action: str | None = None
    next_action_date: str | None = Field(None, description="YYYY-MM-DD; a planned follow-up on the caller's day plan")


class ActivityUpdate(BaseModel):
    subject: str | None = Field(None, description="At most 300 characters")
    outcome: str | None = Field(None, description="At most 2000 characters")
    contact_id: Id | None = Field(None, description="One of the customer's contacts")
    next_action: str | None = None
    next_action_date: str | None = Field(None, description="YYYY-MM-DD")
    planned_for: str | None = Field(None, description="YYYY-MM-DD: the day on the plan (planned activities only)")


class ProductOut(Out):
    id: int
    code: str
    name: str
    kind: str
    unit: str
    unit_price: Money
    skill: str
    description: str
    active: bool
    version: int
    updated_at: Instant | None


class ProductIn(BaseModel):
    code: str | None = Field(None, description="Unique catalogue code, at most 50 characters; required on create")
    name: str | None = Field(None, description="At most 200 characters; required on create")
    kind: str | None = Field(None, description="product (default) or service_item")
    unit: str | None = Field(None, description="At most 20 characters (default pc)")
    unit_price: Number | None = Field(None, description="Non-negative, at most two decimals; required on create")
    skill: str | None = Field(None, description="The engineer skill a service item needs")
    description: str | None = Field(None, description="At most 2000 characters")


class QuoteLineOut(Out):
    id: int
    position: int
    product_id: int | None
    description: str
    quantity: Money
    unit_price: Money
    discount_percent: Money
    amount: Money


class QuoteOut(Out):
    id: int
    number: str | None
    customer_id: int
    owner_id: int | None
    opportunity_id: int | None
    title: str
    valid_until: dt.date
    discount_percent: Money
    tax_percent: Money
    status: str
    notes: str
    currency: str
    language: str
    revision: int
    revision_of_id: int | None
    version: int
    created_at: Instant
    updated_at: Instant | None
    lines: list[QuoteLineOut]


class QuoteIn(BaseModel):
    customer_id: Id | None = Field(None, description="Required on create; ignored on update")
    opportunity_id: Id | None = Field(None, description="On create: the opportunity quoted (its products become lines)")
    title: str | None = None
    valid_until: str | None = Field(None, description="YYYY-MM-DD")
    discount_percent: Number | None = None
    tax_percent: Number | None = None
    notes: str | None = None
    currency: str | None = Field(None, description="ISO 4217 code such as CNY (default the site's); on create only")
    language: str | None = Field(None, description="The printed quote's language: zh_CN or en (empty: the site's)")


class QuoteLineIn(BaseModel):
    product_id: Id | None = None
    description: str | None = Field(None, description="Default: the product's name")
    quantity: Number
    unit_price: Number | None = Field(None, description="Default: the product's price")
    discount_percent: Number | None = None


class ContractTerminationIn(BaseModel):
    terminated_on: str = Field(description="YYYY-MM-DD: the day the contract ends")


class ContractOut(Out):
    id: int
    number: str | None
    customer_id: int
    quote_id: int | None
    owner_id: int | None
    title: str
    amount: Money
    discount_percent: Money
    tax_percent: Money
    tax_amount: Money
    start_date: dt.date | None
    end_date: dt.date | None
    payment_terms: str
    status: str
    approved_at: Instant | None
    company_signed_on: dt.date | None
    customer_signed_on: dt.date | None
    terminated_on: dt.date | None
    version: int
    created_at: Instant
    updated_at: Instant


class ContractIn(BaseModel):
    quote_id: Id | None = Field(None, description="On create: an accepted quote of yours (its customer, lines and "
                                                   "total are taken over)")
    template_id: Id | None = Field(None, description="On create: the contract template (required without a quote)")
    customer_id: Id | None = Field(None, description="On create without a quote: one of your customers")
    title: str | None = Field(None, description="At most 200 characters; required without a quote")
    amount: Number | None = Field(None, description="Total; required without a quote, fixed by the quote otherwise")
    payment_terms: str | None = Field(None, description="At most 2000 characters")
    start_date: str | None = Field(None, description="YYYY-MM-DD")
    end_date: str | None = Field(None, description="YYYY-MM-DD, not before the start date")


class PlanLineOut(Out):
    id: int
    position: int
    label: str
    due_date: dt.date
    percent: Money | None
    amount: Money
    paid_amount: Money
    status: str
    settled_on: dt.date | None


class PaymentPlanOut(Out):
    id: int
    customer_id: int
    contract_id: int | None
    title: str
    created_by: str
    version: int
    created_at: Instant
    updated_at: Instant | None
    lines: list[PlanLineOut]


class PlanLineIn(BaseModel):
    label: str = Field(description="At most 200 characters")
    due_date: str = Field(description="YYYY-MM-DD")
    percent: Number | None = Field(None, description="Share of the contract amount (0-100, two decimals)")
    amount: Number | None = Field(None, description="A fixed amount instead of a percent")


class PaymentPlanIn(BaseModel):
    contract_id: Id = Field(description="One of your contracts")
    title: str | None = Field(None, description="Default: Payments for <contract number>")
    lines: list[PlanLineIn] = Field(description="1-24 instalments; percent lines of one plan add up to at most 100")


class PlanLineChange(BaseModel):
    id: Id | None = Field(None, description="A line of this plan to change or remove; without it, a new line "
                                            "(label, due_date and amount required) is added at the end")
    label: str | None = Field(None, description="At most 200 characters")
    due_date: str | None = Field(None, description="YYYY-MM-DD; not for a settled line or one being collected")
    amount: Number | None = Field(None, description="A fixed amount (a percent line becomes a fixed one), never "
                                                    "below what is paid on the line; a line being collected goes on "
                                                    "with the new open amount, or ends when it is now paid in full")
    remove: bool | None = Field(None, description="true: take the line out of the plan (not when it has payments "
                                                  "or a collection process)")


class PaymentPlanUpdate(BaseModel):
    title: str | None = None
    lines: list[PlanLineChange] | None = Field(None, description="Changes, removals and new lines, at most 24; the "
                                                                 "plans of the contract may not ask for more than its "
                                                                 "amount (422)")


class PaymentOut(Out):
    id: int
    plan_line_id: int
    customer_id: int
    amount: Money
    received_on: dt.date
    reference: str
    recorded_by: str
    created_at: Instant


class PaymentIn(BaseModel):
    plan_line_id: Id = Field(description="The plan line (instalment) paid")
    amount: Number = Field(description="More than 0, at most the line's open amount, two decimals")
    received_on: str = Field(description="YYYY-MM-DD")
    reference: str | None = Field(None, description="Bank or ERP reference, at most 100 characters: posting the same "
                                                    "reference for the same line again answers the payment recorded "
                                                    "the first time (200) instead of counting it twice")


class ServiceRequestOut(Out):
    id: int
    number: str | None
    customer_id: int
    channel: str
    request_type: str
    urgency: str
    product_id: int | None
    description: str
    status: str
    handling: str
    resolution: str
    instance_id: int | None
    created_by: str
    created_at: Instant
    updated_at: Instant | None
    closed_at: Instant | None


class ServiceRequestIn(BaseModel):
    customer_id: Id
    channel: str = Field("web", description="phone, web, complaint or booking")
    request_type: str = Field(description="repair, maintenance, installation, consultation or complaint")
    description: str
    product_code: str | None = Field(None, description="Catalogue code of the product concerned, if any")


class ServiceRequestCreated(BaseModel):
    """What the caller learns of the request it sent (an integration user may read nothing else)."""

    instance_id: int
    request_id: int | None
    number: str | None
    status: str


class ServiceOrderOut(Out):
    id: int
    number: str | None
    request_id: int
    customer_id: int
    status: str
    free_service: bool
    required_skill: str
    planned_hours: Money
    scheduled_start: Instant | None
    fee_quote: Money
    customer_confirmed: bool | None
    labour_hours: Money | None
    materials_cost: Money
    completed_at: Instant | None
    version: int
    created_at: Instant
    updated_at: Instant | None


class ServiceOrderUpdate(BaseModel):
    """Fields a waiting step of the order's process enters are refused with 409 naming the step."""

    required_skill: str | None = Field(None, description="At most 50 characters")
    planned_hours: Number | None = Field(None, description="More than 0, three decimals")
    fee_quote: Number | None = Field(None, description="Non-negative, two decimals")
    labour_hours: Number | None = Field(None, description="More than 0, three decimals")
    materials_cost: Number | None = Field(None, description="Non-negative, two decimals")
    materials_note: str | None = Field(None, description="At most 4000 characters")
    work_report: str | None = Field(None, description="At most 4000 characters")


class Deactivate(BaseModel):
    reason: str | None = Field(None, description="Why (kept in the customer's history), at most 300 characters")
