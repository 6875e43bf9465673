"""Marketing's side of tracking: personal tracked links for a campaign (a mail-merge sheet) and the seminar
check-in desk."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import login_required
from openpyxl import Workbook

from i18n import _, _l
from services.customers import queries
from services.exports import append_row
from services.tracking import events
from web import db
from web.accounts.auth import require_role
from web.input import owner_ids, require_visible
from web.tracking.public import tokens

bp = Blueprint("tracking_pages", __name__, url_prefix="/tracking")
MARKETERS = ("marketing_director", "salesperson", "customer_director", "sales_director", "information_officer",
             "administrator")
SHEET_COLUMNS = (_l("Customer"), _l("Contact"), _l("E-mail"), _l("Tracked link"), _l("Open pixel"))


@bp.route("/links", methods=["GET", "POST"])
@login_required
def links():
    """Choose a campaign, a target address and (optionally) a customer; download each contact's links."""
    require_role(*MARKETERS)
    form, error = request.form, ""
    if request.method == "POST":
        customer_id = form.get("customer_id", type=int)
        if customer_id is not None:
            require_visible((queries.customer_by_id(db.session(), customer_id) or abort(404)).owner_id)
        contacts = events.contacts_of(db.session(), owner_ids(), customer_id)
        try:
            rows = events.personal_links(tokens(), contacts, form.get("campaign", ""), form.get("url", ""),
                                         request.url_root)
        except events.TrackingRefused as exc:
            error = str(exc)
        else:
            return send_file(BytesIO(_sheet(rows)), as_attachment=True, download_name="tracked-links.xlsx",
                             mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return render_template("tracking/links.html", form=form, error=error), 422 if error else 200


def _sheet(rows: list[events.PersonalLink]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Links")
    append_row(sheet, [str(title) for title in SHEET_COLUMNS])
    for row in rows:
        append_row(sheet, (row.customer, row.contact, row.email, row.link, row.pixel))
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@bp.route("/checkin", methods=["GET", "POST"])
@login_required
def checkin():
    """The seminar check-in desk: one contact at a time attends the named seminar."""
    require_role(*MARKETERS)
    form, error = request.form, ""
    if request.method == "POST":
        contact = events.contact_by_id(db.session(), form.get("contact_id", type=int)) or abort(404)
        require_visible(contact.customer.owner_id)
        try:
            events.check_in(db.session(), contact, form.get("seminar", ""))
        except events.TrackingRefused as exc:
            error = str(exc)
        else:
            db.commit()
            flash(_("%(contact)s (%(customer)s) checked in.", contact=contact.name, customer=contact.customer.company),
                  "success")
            return redirect(url_for("tracking_pages.checkin", seminar=form.get("seminar", "").strip()))
    return render_template("tracking/checkin.html", form=form, error=error,
                           seminar=request.args.get("seminar", "")), 422 if error else 200
