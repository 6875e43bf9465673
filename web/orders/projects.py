"""Project pages: from the bid to delivery, with milestones, progress and performance."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders import projects
from crm.orders.contracts import Contract
from crm.orders.projects import Milestone, Project
from web import db
from web.accounts.auth import require_role
from web.input import SALES_ROLES, date_field, int_field, refusals, require_visible, visible, visible_customers

bp = Blueprint("projects", __name__, url_prefix="/projects")


@bp.before_request
@login_required
def sales_only():
    require_role(*SALES_ROLES)


def _project(project_id: int) -> Project:
    project = db.session().get(Project, project_id) or abort(404)
    require_visible(project.customer.owner_id)
    return project


def _users() -> list[User]:
    return list(db.session().scalars(select(User).where(User.active.is_(True)).order_by(User.display_name)))


@bp.get("/")
def index():
    return render_template("orders/projects.html", projects=[p for p in projects.list_projects(db.session())
                                                            if visible(p.customer.owner_id)],
                           customers=visible_customers(), users=_users())


@bp.post("/")
def create():
    """A project at the bid stage, or for a contract (``contract_id``)."""
    session = db.session()
    with refusals():
        contract = session.get(Contract, int_field("contract_id") or 0)
        customer = contract.customer if contract else session.get(Customer, int_field("customer_id") or 0)
        if customer is None or not visible(customer.owner_id):
            flash("Choose one of your customers.", "danger")
            return redirect(url_for(".index"))
        project = projects.create_project(
            session, request.form.get("name", "").strip() or (contract.title if contract else "Project"), customer,
            session.get(User, int_field("responsible_id") or 0), contract=contract,
            planned_delivery=date_field("planned_delivery", required=False),
        )
        db.commit()
        flash(f"Project {project.number} created.", "success")
        return redirect(url_for(".show", project_id=project.id))
    return redirect(request.referrer or url_for(".index"))


@bp.get("/<int:project_id>")
def show(project_id: int):
    project = _project(project_id)
    return render_template("orders/project.html", project=project, stages=projects.STAGES, users=_users(),
                           performance=projects.performance(db.session(), project), today=dt.date.today())


@bp.post("/<int:project_id>")
def update(project_id: int):
    project = _project(project_id)
    with refusals():
        projects.update_progress(project, request.form.get("stage", ""), int_field("progress_percent") or 0,
                                 dt.date.today())
        project.responsible_id = int_field("responsible_id") or project.responsible_id
        db.commit()
        flash("Project updated.", "success")
    return redirect(url_for(".show", project_id=project_id))


@bp.post("/<int:project_id>/milestones")
def add_milestone(project_id: int):
    project = _project(project_id)
    with refusals():
        projects.add_milestone(db.session(), project, request.form.get("name", "").strip() or "Milestone",
                               date_field("due_date"))
        db.commit()
    return redirect(url_for(".show", project_id=project_id))


@bp.post("/<int:project_id>/milestones/<int:milestone_id>/done")
def milestone_done(project_id: int, milestone_id: int):
    project = _project(project_id)
    milestone = db.session().get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        abort(404)
    with refusals():
        projects.complete_milestone(milestone, date_field("done_on", required=False) or dt.date.today())
        db.commit()
    return redirect(url_for(".show", project_id=project_id))
