"""Marketing campaigns: the list with the marketing cost per month, a new campaign, one campaign (invite contacts,
record attendance, link the opportunities it sourced)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.campaigns.campaigns import (
    CAMPAIGN_KINDS,
    Campaign,
    CampaignContact,
    CampaignError,
    create_campaign,
    invite,
    mark_attended,
    source_opportunity,
)
from crm.customers.models import Contact
from crm.sales.opportunities import Opportunity
from i18n import _
from services.campaigns import figures
from services.reporting.filters import site_today
from web import db
from web.input import date_field, decimal_field, int_field, refusals
from web.reporting.filtering import site_zone

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
READERS = ("marketing_director", "customer_director", "sales_director", "administrator")
EDITORS = ("marketing_director", "administrator")


@bp.before_request
@login_required
def readers_only() -> None:
    if not current_user.has_role(*READERS):
        abort(403)


def _editor() -> None:
    if not current_user.has_role(*EDITORS):
        abort(403)


@bp.get("/")
def index():
    zone = site_zone()
    months = figures.last_months(site_today(zone))
    return render_template("campaigns/campaigns.html", campaigns=figures.campaigns(db.session()),
                           months=figures.marketing_cost_by_month(db.session(), months, zone), kinds=CAMPAIGN_KINDS,
                           may_edit=current_user.has_role(*EDITORS))


@bp.post("/")
def create():
    _editor()
    with refusals():
        campaign = create_campaign(db.session(), request.form.get("name", "")[:200], request.form.get("kind", ""),
                                   date_field("starts_on"), date_field("ends_on"),
                                   decimal_field("cost", Campaign.cost), request.form.get("notes", "")[:4000],
                                   by=current_user.username)
        db.commit()
        flash(_("Campaign %(name)s created.", name=campaign.name), "success")
        return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    return redirect(url_for("campaigns.index"))


def _campaign(campaign_id: int) -> Campaign:
    found = db.session().get(Campaign, campaign_id)
    if found is None:
        abort(404)
    return found


@bp.get("/<int:campaign_id>")
def show(campaign_id: int):
    session = db.session()
    shown = figures.campaign(session, _campaign(campaign_id).id)
    may_edit = current_user.has_role(*EDITORS)
    return render_template("campaigns/campaign.html", figures=shown, may_edit=may_edit,
                           opportunities=figures.sourced_opportunities(session, campaign_id),
                           contacts=figures.contacts_to_invite(session, campaign_id) if may_edit else [],
                           candidates=figures.opportunities_to_source(session) if may_edit else [])


@bp.post("/<int:campaign_id>/guests")
def add_guest(campaign_id: int):
    _editor()
    campaign = _campaign(campaign_id)
    with refusals():
        contact = db.session().get(Contact, int_field("contact_id") or 0)
        if contact is None:
            raise CampaignError(_("Choose a contact to invite."))
        invite(db.session(), campaign, contact)
        db.commit()
        flash(_("%(name)s invited.", name=contact.name), "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))


@bp.post("/<int:campaign_id>/guests/<int:guest_id>/attended")
def attended(campaign_id: int, guest_id: int):
    _editor()
    guest = db.session().get(CampaignContact, guest_id)
    if guest is None or guest.campaign_id != _campaign(campaign_id).id:
        abort(404)
    mark_attended(db.session(), guest)
    db.commit()
    flash(_("%(name)s attended.", name=guest.contact.name), "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))


@bp.post("/<int:campaign_id>/opportunities")
def add_opportunity(campaign_id: int):
    _editor()
    campaign = _campaign(campaign_id)
    with refusals():
        opportunity = db.session().get(Opportunity, int_field("opportunity_id") or 0)
        if opportunity is None:
            raise CampaignError(_("Choose an opportunity."))
        source_opportunity(campaign, opportunity)
        db.commit()
        flash(_("%(name)s is sourced by this campaign.", name=opportunity.name), "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))
