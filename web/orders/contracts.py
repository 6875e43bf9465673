"""Contract pages: list, draft from a template, detail with approval and reminders, the generated document."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.accounts.access import sees_costs
from crm.orders import contract_documents, contracts, labels, margins, payments, reminders
from crm.orders.contracts import Contract, ContractTemplate
from crm.orders.document_wording import CONTRACT_TEMPLATES, document_language, language_choices
from crm.scoped_lists import newest_in_scope
from i18n import LANGUAGES, _, ngettext, zones
from services.customers.queries import customer_by_id, customers_in_scope
from services.orders import queries
from services.orders.process_starts import submit_for_approval
from web import db
from web.accounts.auth import actor, require_role
from web.idempotency import idempotent
from web.input import (
    SALES_ROLES,
    date_field,
    decimal_field,
    int_field,
    owner_ids,
    refusals,
    require_visible,
    visible,
)
from web.orders.payments import PLAN_ROWS
from web.paging import paginate

bp = Blueprint("contracts", __name__, url_prefix="/contracts")
VIEW_ROLES = (*SALES_ROLES, "finance")
TERMINATE_ROLES = ("customer_director", "sales_director", "administrator")
"""End an active contract before its end date (page and API)."""


@bp.before_request
@login_required
def order_roles_only():
    require_role(*VIEW_ROLES)


@bp.app_template_filter("order_status_label")
def order_status_label(status: str) -> str:
    """A quote, contract or plan line status in the reader's language (another status as stored, readable)."""
    return labels.status_label(status).replace("_", " ")


@bp.app_template_filter("project_stage_label")
def project_stage_label(stage: str) -> str:
    """A project stage in the reader's language."""
    return labels.stage_label(stage)


@bp.app_template_filter("reminder_label")
def reminder_label(kind: str) -> str:
    """A contract or payment reminder kind in the reader's language."""
    return labels.reminder_label(kind)


@bp.app_template_filter("bucket_label")
def bucket_label(bucket: str) -> str:
    """An ageing bucket of the receivables as a column heading."""
    return labels.bucket_label(bucket)


def _contract(contract_id: int) -> Contract:
    contract = queries.contract_by_id(db.session(), contract_id) or abort(404)
    require_visible(contract.owner_id)
    return contract


def _templates() -> list[ContractTemplate]:
    return queries.contract_templates(db.session())


@bp.get("/")
def index():
    status, scope = request.args.get("status", ""), owner_ids()
    return render_template("orders/contracts.html", status=status, statuses=contracts.CONTRACT_STATUSES,
                           paged=(listed := paginate(newest_in_scope(db.session(), Contract, scope, status))),
                           contracts=listed.items,
                           templates=[t for t in _templates() if t.active],
                           customers=customers_in_scope(db.session(), scope))


@bp.post("/")
def create():
    """A contract without a quote: template wording, amount entered."""
    require_role(*SALES_ROLES)
    with refusals():
        template = queries.contract_template_by_id(db.session(), int_field("template_id"))
        customer = customer_by_id(db.session(), int_field("customer_id"))
        if template is None or customer is None or not visible(customer.owner_id):
            flash(_("Choose a template and one of your customers."), "danger")
            return redirect(url_for(".index"))
        contract = contracts.from_template(
            db.session(), template, customer, current_user.user, request.form.get("title", "").strip() or _("Contract"),
            decimal_field("amount", Contract.amount), payment_terms=request.form.get("payment_terms", ""),
            start_date=date_field("start_date", required=False), end_date=date_field("end_date", required=False),
        )
        db.commit()
        flash(_("Contract %(number)s drafted.", number=contract.number), "success")
        return redirect(url_for(".show", contract_id=contract.id))
    return redirect(url_for(".index"))


@bp.get("/<int:contract_id>")
def show(contract_id: int):
    contract = _contract(contract_id)
    session = db.session()
    return render_template(
        "orders/contract.html", contract=contract, today=zones.site_today(),
        reminders=reminders.for_contract(session, contract.id),
        plans=payments.plans_for_contract(session, contract.id),
        project=queries.project_of_contract(session, contract.id),
        plan_rows=range(1, PLAN_ROWS + 1),
        margin=margins.contract_margin(contract) if sees_costs(current_user.user) else None,
        language=LANGUAGES[contract_documents.contract_language(contract)],
    )


DOCUMENT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                   "form-action 'none'; frame-ancestors 'self'; sandbox")
"""The generated contract page runs no script and loads nothing but its inline style and pictures."""


@bp.get("/<int:contract_id>/document")
def document(contract_id: int):
    contract = _contract(contract_id)
    try:
        return Response(contract_documents.render_html(db.session(), contract), mimetype="text/html",
                        headers={"Content-Security-Policy": DOCUMENT_POLICY})
    except contracts.ContractError as exc:
        flash(str(exc), "danger")
        return redirect(url_for(".show", contract_id=contract_id))


@bp.get("/<int:contract_id>/document.pdf")
def document_pdf(contract_id: int):
    contract = _contract(contract_id)
    try:
        html = contract_documents.render_html(db.session(), contract)
    except contracts.ContractError as exc:
        flash(str(exc), "danger")
        return redirect(url_for(".show", contract_id=contract_id))
    return Response(contract_documents.render_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{contract.number}.pdf"'})


@bp.post("/<int:contract_id>/submit")
@idempotent
def submit(contract_id: int):
    """Start the approval process for a draft."""
    require_role(*SALES_ROLES)
    contract = _contract(contract_id)
    with refusals():
        instance = submit_for_approval(db.session(), db.platform().engine, contract.id, actor())
        db.commit()
        flash(_("Contract %(number)s is in approval (process #%(id)s).", number=contract.number, id=instance.id),
              "success")
    return redirect(url_for(".show", contract_id=contract_id))


@bp.post("/<int:contract_id>/terminate")
def terminate(contract_id: int):
    require_role(*TERMINATE_ROLES)
    contract = _contract(contract_id)
    with refusals():
        contracts.terminate(contract, date_field("terminated_on"))
        db.commit()
        flash(_("Contract %(number)s terminated.", number=contract.number), "success")
    return redirect(url_for(".show", contract_id=contract_id))


@bp.post("/expire")
def expire():
    """Mark active contracts past their end date as expired."""
    require_role("customer_director", "sales_director", "administrator")
    count = contracts.expire_ended(db.session(), zones.site_today())
    db.commit()
    flash(ngettext("%(num)d contract expired.", "%(num)d contracts expired.", count), "info")
    return redirect(url_for(".index"))


@bp.route("/templates", methods=["GET", "POST"])
def templates():
    """The unified contract templates (Jinja2 placeholders such as ``{{ contract.number }}``)."""
    require_role("customer_director", "sales_director", "administrator")
    chosen = queries.contract_template_by_id(db.session(), request.args.get("id", type=int))
    if request.method == "POST":
        with refusals():
            saved = contract_documents.save_template(db.session(), request.form.get("name", ""),
                                                     request.form.get("body", ""), chosen,
                                                     language=request.form.get("language", ""))
            db.commit()
            flash(_("Template “%(name)s” saved.", name=saved.name), "success")
            return redirect(url_for(".templates", id=saved.id))
    language = document_language(chosen.language if chosen else request.args.get("language", ""))
    return render_template("orders/contract_templates.html", templates=_templates(), chosen=chosen,
                           language=language, languages=language_choices(), language_names=LANGUAGES,
                           default_body=CONTRACT_TEMPLATES[language])
