"""Creating, editing and deactivating customers and their contacts; the duplicate warning.
Rules live in crm/customers/records.py, queries in services/customers/."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.accounts.access import users_with_role
from crm.customers import records
from crm.customers.models import GRADES, RELATIONSHIP_TYPES, Contact, Customer
from crm.fields import RecordInvalid
from i18n import _
from services.accounts.directory import user_by_id
from services.customers import duplicates, queries
from services.processes.scope import owner_scope
from web import db
from web.accounts.auth import actor, require_role
from web.idempotency import idempotent

bp = Blueprint("customer_records", __name__, url_prefix="/customers")
EDITORS = ("salesperson", "information_officer", "customer_director", "sales_director", "marketing_director",
           "administrator")
"""May create customers and edit those in their data scope."""
OWNER_CHOOSERS = ("information_officer", "customer_director", "sales_director", "administrator")
"""May give a new customer to someone other than themselves."""


def scope() -> set[int] | None:
    """Owner ids whose customers the current user sees (None: all); read once per request."""
    return owner_scope(db.session(), actor(), current_user.user)


def editable_customer(customer_id: int) -> Customer:
    """The customer, if the current user may edit it (404 outside their data scope)."""
    require_role(*EDITORS)
    customer = queries.customer_by_id(db.session(), customer_id)
    visible = scope()
    if customer is None or (visible is not None and customer.owner_id not in visible):
        abort(404)
    return customer


def _form_page(template: str, status: int = 200, **context):
    session = db.session()
    choosers = current_user.has_role(*OWNER_CHOOSERS)
    return render_template(template, grades=GRADES, relationship_types=RELATIONSHIP_TYPES,
                           fields=records.CUSTOMER_FIELDS, options=queries.attribute_options(session),
                           salespeople=users_with_role(session, "salesperson") if choosers else [],
                           scope=scope(), **context), status


def _new_owner():
    """Who gets a new customer: the chosen salesperson (choosers), else the creating user."""
    if not current_user.has_role(*OWNER_CHOOSERS):
        return current_user.user
    chosen = user_by_id(db.session(), request.form.get("owner_id", type=int))
    return chosen if chosen is not None and chosen.has_role("salesperson") else None


@bp.route("/new", methods=["GET", "POST"])
@login_required
@idempotent
def create():
    require_role(*EDITORS)
    form = request.form if request.method == "POST" else {}
    if request.method == "GET":
        return _form_page("customers/edit.html", form={}, errors={}, customer=None)
    try:
        values = records.customer_values(form)
    except RecordInvalid as exc:
        return _form_page("customers/edit.html", 422, form=form, errors=exc.errors, customer=None)
    found = duplicates.possible_duplicates(db.session(), values)
    if found and not form.get("confirm_duplicate"):
        return _form_page("customers/edit.html", 409, form=form, errors={}, customer=None, duplicates=found)
    customer = records.create_customer(db.session(), values, _new_owner(), current_user.username)
    db.commit()
    flash(_("%(customer)s created.", customer=customer.company), "success")
    return redirect(url_for("customers.show", customer_id=customer.id))


@bp.route("/<int:customer_id>/edit", methods=["GET", "POST"])
@login_required
def edit(customer_id: int):
    customer = editable_customer(customer_id)
    if request.method == "GET":
        form = {name: getattr(customer, name) for name in (*records.CUSTOMER_FIELDS, "grade", "relationship_type")}
        return _form_page("customers/edit.html", form={**form, "version": customer.version}, errors={},
                          customer=customer)
    form = request.form
    try:
        values = records.customer_values(form)
        found = duplicates.possible_duplicates(db.session(), values, exclude_id=customer.id)
        found = duplicates.changed_only(found, customer, values, duplicates.CUSTOMER_REASONS)
        if found and not form.get("confirm_duplicate"):
            return _form_page("customers/edit.html", 409, form=form, errors={}, customer=customer, duplicates=found)
        changed = records.update_customer(db.session(), customer, values, form.get("version", type=int),
                                          current_user.username)
    except RecordInvalid as exc:
        return _form_page("customers/edit.html", 422, form=form, errors=exc.errors, customer=customer)
    except records.StaleRecord as exc:
        db.session().rollback()
        return _form_page("customers/edit.html", 409, form=form, errors={}, customer=customer, stale=str(exc))
    db.commit()
    flash(_("Saved.") if changed else _("Nothing changed."), "success" if changed else "info")
    return redirect(url_for("customers.show", customer_id=customer_id))


def _contact_duplicates(customer: Customer, values: dict, contact: Contact | None = None) -> list:
    """Contacts the new or edited one may duplicate (on edit, only by what the user changed)."""
    session = db.session()
    found = duplicates.possible_contact_duplicates(session, customer.id, values,
                                                   scope(),
                                                   exclude_id=contact.id if contact else None)
    return found if contact is None else duplicates.changed_only(found, contact, values, duplicates.CONTACT_REASONS)


@bp.post("/<int:customer_id>/active")
@login_required
def set_active(customer_id: int):
    customer = editable_customer(customer_id)
    active = request.form.get("active") == "1"
    try:
        records.set_customer_active(db.session(), customer, active, current_user.username,
                                    request.form.get("reason", "")[:300])
    except ValueError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("customers.show", customer_id=customer_id))
    db.commit()
    flash(_("%(customer)s is active again.", customer=customer.company) if active else
          _("%(customer)s is deactivated: kept with its history.", customer=customer.company), "success")
    return redirect(url_for("customers.show", customer_id=customer_id))


def _contact_page(customer: Customer, contact, form, errors, status=200, stale="", found=()):
    return render_template("customers/contact.html", customer=customer, contact=contact, form=form, errors=errors,
                           fields=records.CONTACT_FIELDS, stale=stale, duplicates=found,
                           scope=scope()), status


@bp.route("/<int:customer_id>/contacts/new", methods=["GET", "POST"])
@login_required
@idempotent
def add_contact(customer_id: int):
    customer = editable_customer(customer_id)
    if request.method == "GET":
        return _contact_page(customer, None, {"is_main": "" if customer.active_contacts else "1"}, {})
    try:
        values = records.contact_values(request.form)
    except RecordInvalid as exc:
        return _contact_page(customer, None, request.form, exc.errors, 422)
    found = _contact_duplicates(customer, values)
    if found and not request.form.get("confirm_duplicate"):
        return _contact_page(customer, None, request.form, {}, 409, found=found)
    contact = records.add_contact(db.session(), customer, values, current_user.username)
    db.commit()
    flash(_("Contact %(name)s added.", name=contact.name), "success")
    if request.form.get("another"):
        return redirect(url_for("customer_records.add_contact", customer_id=customer_id))
    return redirect(url_for("customers.show", customer_id=customer_id, _anchor="contacts"))


@bp.route("/<int:customer_id>/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit_contact(customer_id: int, contact_id: int):
    customer = editable_customer(customer_id)
    contact = queries.contact_of(db.session(), customer_id, contact_id) or abort(404)
    if request.method == "GET":
        form = {name: getattr(contact, name) for name in records.CONTACT_FIELDS}
        return _contact_page(customer, contact, {**form, "is_main": "1" if contact.is_main else "",
                                                 "version": contact.version}, {})
    try:
        values = records.contact_values(request.form)
        found = _contact_duplicates(customer, values, contact)
        if found and not request.form.get("confirm_duplicate"):
            return _contact_page(customer, contact, request.form, {}, 409, found=found)
        records.update_contact(db.session(), contact, values, request.form.get("version", type=int),
                               current_user.username)
    except RecordInvalid as exc:
        return _contact_page(customer, contact, request.form, exc.errors, 422)
    except records.StaleRecord as exc:
        db.session().rollback()
        return _contact_page(customer, contact, request.form, {}, 409, stale=str(exc))
    db.commit()
    flash(_("Contact %(name)s saved.", name=contact.name), "success")
    return redirect(url_for("customers.show", customer_id=customer_id, _anchor="contacts"))


@bp.post("/<int:customer_id>/contacts/<int:contact_id>/active")
@login_required
def contact_active(customer_id: int, contact_id: int):
    editable_customer(customer_id)
    contact = queries.contact_of(db.session(), customer_id, contact_id) or abort(404)
    active = request.form.get("active") == "1"
    records.set_contact_active(db.session(), contact, active, current_user.username)
    db.commit()
    flash(_("Contact %(name)s reactivated.", name=contact.name) if active else
          _("Contact %(name)s deactivated.", name=contact.name), "success")
    return redirect(url_for("customers.show", customer_id=customer_id, _anchor="contacts"))
