"""Project pages: from the bid to delivery, with milestones, progress and performance."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from crm.orders import projects
from crm.orders.projects import Project
from i18n import _, zones
from services.accounts.directory import active_users_by_name, user_by_id
from services.customers.queries import customer_by_id
from services.orders import queries
from web import db
from web.accounts.auth import require_role
from web.input import (
    SALES_ROLES,
    date_field,
    int_field,
    owner_ids,
    refusals,
    require_visible,
    visible,
    visible_customers,
)
from web.redirects import safe_next

bp = Blueprint("projects", __name__, url_prefix="/projects")


@bp.before_request
@login_required
def sales_only():
    require_role(*SALES_ROLES)


def _project(project_id: int) -> Project:
    project = queries.project_by_id(db.session(), project_id) or abort(404)
    require_visible(project.customer.owner_id)
    return project


@bp.get("/")
def index():
    return render_template("orders/projects.html", projects=projects.list_projects(db.session(), owner_ids()),
                           customers=visible_customers(), users=active_users_by_name(db.session()))


@bp.post("/")
def create():
    """A project at the bid stage, or for a contract (``contract_id``)."""
    session = db.session()
    with refusals():
        contract = queries.contract_by_id(session, int_field("contract_id"))
        customer = contract.customer if contract else customer_by_id(session, int_field("customer_id"))
        if customer is None or not visible(customer.owner_id):
            flash(_("Choose one of your customers."), "danger")
            return redirect(url_for(".index"))
        project = projects.create_project(
            session, request.form.get("name", "").strip() or (contract.title if contract else _("Project")), customer,
            user_by_id(session, int_field("responsible_id")), contract=contract,
            planned_delivery=date_field("planned_delivery", required=False),
        )
        db.commit()
        flash(_("Project %(number)s created.", number=project.number), "success")
        return redirect(url_for(".show", project_id=project.id))
    return redirect(safe_next(request.referrer, url_for(".index")))


@bp.get("/<int:project_id>")
def show(project_id: int):
    project = _project(project_id)
    return render_template("orders/project.html", project=project, stages=projects.STAGES,
                           users=active_users_by_name(db.session()),
                           currency=project.contract.currency if project.contract else None,
                           performance=projects.performance(db.session(), project), today=zones.site_today())


@bp.post("/<int:project_id>")
def update(project_id: int):
    project = _project(project_id)
    with refusals():
        progress = int_field("progress_percent", Project.progress_percent, low=0) or 0
        projects.update_progress(project, request.form.get("stage", ""), progress, zones.site_today())
        project.responsible_id = int_field("responsible_id") or project.responsible_id
        db.commit()
        flash(_("Project updated."), "success")
    return redirect(url_for(".show", project_id=project_id))


@bp.post("/<int:project_id>/milestones")
def add_milestone(project_id: int):
    project = _project(project_id)
    with refusals():
        projects.add_milestone(db.session(), project, request.form.get("name", "").strip() or _("Milestone"),
                               date_field("due_date"))
        db.commit()
    return redirect(url_for(".show", project_id=project_id))


@bp.post("/<int:project_id>/milestones/<int:milestone_id>/done")
def milestone_done(project_id: int, milestone_id: int):
    project = _project(project_id)
    milestone = queries.milestone_of_project(db.session(), project.id, milestone_id)
    if milestone is None:
        abort(404)
    with refusals():
        projects.complete_milestone(milestone, date_field("done_on", required=False) or zones.site_today())
        db.commit()
    return redirect(url_for(".show", project_id=project_id))
