"""Customer list, customer page with its timeline, and reassigning a departing salesperson's customers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from crm.accounts.access import users_with_role, visible_owner_ids
from crm.accounts.users import User
from crm.customers.models import GRADES, Customer
from crm.customers.ownership import hand_over, reassign_customers
from crm.customers.queries import CustomerFilter, search_customers, visible_customer
from crm.sales.opportunities import Opportunity
from engine.models import HumanTask
from services.customers.timeline import customer_timeline
from web import db
from web.accounts.auth import require_role

bp = Blueprint("customers", __name__, url_prefix="/customers")
REASSIGNERS = ("administrator", "sales_director", "customer_director")


def scope() -> set[int] | None:
    """Owner ids whose customers the current user sees (None: all)."""
    return visible_owner_ids(db.session(), current_user.user)


@bp.get("/")
@login_required
def index():
    flt = CustomerFilter.from_args(request.args)
    page_no = max(request.args.get("page", 1, type=int), 1)
    page = search_customers(db.session(), scope(), flt, page_no)
    return render_template("customers/customers.html", page=page, flt=flt, grades=GRADES,
                           page_url=lambda n: url_for("customers.index", page=n, **flt.as_args()))


@bp.get("/<int:customer_id>")
@login_required
def show(customer_id: int):
    session = db.session()
    customer = visible_customer(session, scope(), customer_id) or abort(404)
    opportunities = session.scalars(select(Opportunity).where(Opportunity.customer_id == customer_id)
                                    .order_by(Opportunity.status, Opportunity.stage.desc())).all()
    open_tasks = session.scalars(select(HumanTask).where(HumanTask.customer_id == customer_id,
                                                         HumanTask.status == "ready")).all()
    can_reassign = current_user.has_role(*REASSIGNERS)
    return render_template(
        "customers/customer.html", customer=customer, timeline=customer_timeline(session, customer_id),
        opportunities=opportunities, open_tasks=open_tasks, can_reassign=can_reassign,
        salespeople=users_with_role(session, "salesperson") if can_reassign else [],
    )


@bp.post("/<int:customer_id>/reassign")
@login_required
def reassign_one(customer_id: int):
    require_role(*REASSIGNERS)
    session = db.session()
    customer = session.get(Customer, customer_id) or abort(404)
    successor = session.get(User, request.form.get("successor_id", type=int) or 0)
    if successor is None or not successor.has_role("salesperson"):
        abort(400)
    hand_over(session, customer, successor, current_user.username, request.form.get("reason", ""))
    db.commit()
    flash(f"{customer.company} is now looked after by {successor.display_name}.", "success")
    return redirect(url_for("customers.show", customer_id=customer_id))


@bp.route("/reassign", methods=["GET", "POST"])
@login_required
def reassign():
    require_role(*REASSIGNERS)
    session = db.session()
    if request.method == "POST":
        departing = session.get(User, request.form.get("departing_id", type=int) or 0)
        successor = session.get(User, request.form.get("successor_id", type=int) or 0)
        if departing is None or successor is None or departing.id == successor.id \
                or not successor.has_role("salesperson"):
            flash("Choose two different salespeople.", "danger")
        else:
            count = reassign_customers(session, departing, successor, current_user.username,
                                       request.form.get("reason", ""))
            db.commit()
            flash(f"{count} customers of {departing.display_name} now belong to {successor.display_name}; "
                  "their history is unchanged.", "success")
            return redirect(url_for("customers.reassign"))
    counts = dict(session.execute(select(Customer.owner_id, func.count()).group_by(Customer.owner_id)).all())
    owners = session.scalars(select(User).where(User.id.in_([k for k in counts if k])).order_by(User.display_name))
    return render_template("customers/reassign.html", owners=list(owners), counts=counts,
                           salespeople=users_with_role(session, "salesperson"))
