"""Customer list, customer page with its timeline, and reassigning a departing salesperson's customers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.accounts.access import users_with_role
from crm.customers import records
from crm.customers.models import GRADE_LABELS, GRADES, RELATIONSHIP_LABELS, STATUS_LABELS
from crm.customers.ownership import hand_over, reassign_customers
from crm.customers.queries import CustomerFilter, search_customers, visible_customer
from crm.customers.wallet import wallet_shares
from crm.fields import RecordInvalid
from crm.sales.activities import ACTIVITY_KINDS
from crm.sales.labels import status_label
from i18n import _, ngettext, zones
from services.accounts.directory import user_by_id
from services.customers import queries
from services.customers.hub import customer_hub, startable_for_customer
from services.customers.timeline import customer_timeline
from web import db
from web.accounts.auth import actor, require_role
from web.customers.merge import MERGERS
from web.customers.records import EDITORS, editable_customer, scope
from web.customers.wallet import ESTIMATORS
from web.idempotency import idempotent
from web.row_links import url_format

bp = Blueprint("customers", __name__, url_prefix="/customers")
REASSIGNERS = ("administrator", "sales_director", "customer_director")


@bp.app_template_filter("grade_label")
def grade_label(grade: str) -> str:
    """A customer grade in the reader's language."""
    return str(GRADE_LABELS.get(grade, grade))


@bp.app_template_filter("relationship_label")
def relationship_label(relationship_type: str) -> str:
    """A relationship type in the reader's language."""
    return str(RELATIONSHIP_LABELS.get(relationship_type, relationship_type))


@bp.app_template_filter("customer_status_label")
def customer_status_label(status: str) -> str:
    """A customer status in the reader's language."""
    return str(STATUS_LABELS.get(status, status))


@bp.app_template_filter("sales_status_label")
def sales_status_label(status: str) -> str:
    """An opportunity, visit, tender or activity status in the reader's language."""
    return status_label(status)


@bp.get("/")
@login_required
def index():
    flt = CustomerFilter.from_args(request.args)
    page_no = max(request.args.get("page", 1, type=int), 1)
    page = search_customers(db.session(), scope(), flt, page_no)
    return render_template("customers/customers.html", page=page, flt=flt, grades=GRADES,
                           grade_names=GradeNames({grade: grade_label(grade) for grade in GRADES}),
                           customer_url=url_format("customers.show", "customer_id"),
                           page_url=url_format("customers.index", "page", **flt.as_args()).__mod__)


class GradeNames(dict):
    """The grades in the reader's language, each translated once per page; an unknown grade reads as it is."""

    def __missing__(self, grade: str) -> str:
        return grade_label(grade)


@bp.get("/<int:customer_id>")
@login_required
def show(customer_id: int):
    customer = visible_customer(db.session(), scope(), customer_id) or abort(404)
    return _hub_page(customer)


def _hub_page(customer, status: int = 200, log_form=None, log_errors=None):
    """The customer's page; a refused activity comes back with what was typed and the log form open."""
    session, platform = db.session(), db.platform()
    can_reassign = current_user.has_role(*REASSIGNERS)
    return render_template(
        "customers/customer.html", customer=customer, hub=customer_hub(session, customer.id),
        timeline=customer_timeline(session, customer.id), can_reassign=can_reassign,
        can_edit=current_user.has_role(*EDITORS), can_merge=current_user.has_role(*MERGERS),
        starts=startable_for_customer(session, platform.engine, platform.forms, actor()),
        activity_kinds=ACTIVITY_KINDS, today=zones.site_today(), log_form=log_form or {}, log_errors=log_errors or {},
        salespeople=users_with_role(session, "salesperson") if can_reassign else [],
        wallet=wallet_shares(session, customer.id), can_estimate=current_user.has_role(*ESTIMATORS),
        links=_row_links(),
    ), status


def _row_links() -> dict[str, str]:
    """The links of the hub's rows, each built once (``links.quote % quote.id``)."""
    return {name: url_format(endpoint, key) for name, (endpoint, key) in {
        "opportunity": ("opportunities.show", "opp_id"), "quote": ("quotes.show", "quote_id"),
        "contract": ("contracts.show", "contract_id"), "contract_document": ("contracts.document", "contract_id"),
        "project": ("projects.show", "project_id"), "plan": ("payments.plan", "plan_id"),
        "service_request": ("service.show", "request_id"), "instance": ("admin_instances.show", "instance_id"),
    }.items()}


@bp.post("/<int:customer_id>/activities")
@login_required
@idempotent
def log_activity(customer_id: int):
    """Log a call, visit, e-mail or meeting from the customer's page."""
    customer = editable_customer(customer_id)
    try:
        records.log_activity(db.session(), customer, current_user.user, request.form)
    except RecordInvalid as exc:
        return _hub_page(customer, 422, request.form, exc.errors)
    db.commit()
    flash(_("Activity logged."), "success")
    return redirect(url_for("customers.show", customer_id=customer_id, _anchor="timeline"))


@bp.post("/<int:customer_id>/reassign")
@login_required
def reassign_one(customer_id: int):
    require_role(*REASSIGNERS)
    session = db.session()
    customer = queries.customer_by_id(session, customer_id) or abort(404)
    successor = user_by_id(session, request.form.get("successor_id", type=int))
    if successor is None or not successor.has_role("salesperson"):
        abort(400)
    hand_over(session, customer, successor, current_user.username, request.form.get("reason", ""))
    db.commit()
    flash(_("%(customer)s is now looked after by %(owner)s.", customer=customer.company, owner=successor.display_name),
          "success")
    return redirect(url_for("customers.show", customer_id=customer_id))


@bp.route("/reassign", methods=["GET", "POST"])
@login_required
def reassign():
    require_role(*REASSIGNERS)
    session = db.session()
    if request.method == "POST":
        departing = user_by_id(session, request.form.get("departing_id", type=int))
        successor = user_by_id(session, request.form.get("successor_id", type=int))
        if departing is None or successor is None or departing.id == successor.id \
                or not successor.has_role("salesperson"):
            flash(_("Choose two different salespeople."), "danger")
        else:
            count = reassign_customers(session, departing, successor, current_user.username,
                                       request.form.get("reason", ""))
            db.commit()
            flash(ngettext("%(num)d customer of %(departing)s now belongs to %(successor)s; its history is unchanged.",
                           "%(num)d customers of %(departing)s now belong to %(successor)s; their history is "
                           "unchanged.", count, departing=departing.display_name,
                           successor=successor.display_name), "success")
            return redirect(url_for("customers.reassign"))
    counts = queries.customer_counts_by_owner(session)
    owners = queries.owners_by_name(session, [k for k in counts if k])
    return render_template("customers/reassign.html", owners=owners, counts=counts,
                           salespeople=users_with_role(session, "salesperson"))
