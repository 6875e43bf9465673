"""Service desk pages: requests and orders with their work, follow-up and settlement."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from crm.service import labels as service_labels
from crm.service import service_desk
from services.processes import labels
from services.processes.queries import tasks_of_instance
from services.service import queries
from web import db
from web.accounts.auth import require_role
from web.input import SERVICE_ROLES
from web.paging import paginate_counted
from web.row_links import url_format

bp = Blueprint("service", __name__, url_prefix="/service")


@bp.before_request
@login_required
def service_roles_only():
    require_role(*SERVICE_ROLES)


@bp.get("/")
def index():
    status, session = request.args.get("status", ""), db.session()
    found = paginate_counted(service_desk.count_requests(session, status),
                             lambda offset, limit: queries.request_rows(session, status, offset, limit))
    orders = paginate_counted(service_desk.count_orders(session),
                              lambda offset, limit: queries.order_rows(session, offset, limit), "orders_page")
    return render_template("service/service_requests.html", status=status, statuses=service_desk.REQUEST_STATUSES,
                           requests=found.items, paged=found, orders=orders.items, orders_paged=orders,
                           request_url=url_format("service.show", "request_id"),
                           names={kind: service_labels.Labels(kind) for kind in ROW_LABELS})


ROW_LABELS = ("channel", "request_type", "urgency", "handling", "request_status", "skill", "order_status")
"""The kinds of stored keys the list's rows show as labels."""


@bp.get("/requests/<int:request_id>")
def show(request_id: int):
    session = db.session()
    found = queries.service_request_by_id(session, request_id) or abort(404)
    order = found.order
    settlement = queries.settlement_of_order(session, order.id) if order else None
    tasks = tasks_of_instance(session, found.instance_id, ready_only=True) if found.instance_id else []
    labels.show(session, tasks)
    return render_template("service/service_request.html", request_=found, order=order, settlement=settlement,
                           tasks=tasks)


@bp.app_template_filter("service_label")
def service_label(key: str | None, kind: str) -> str:
    """A stored service key (channel, urgency, status …) as its label: ``{{ r.urgency|service_label('urgency') }}``."""
    return service_labels.label(kind, key)
