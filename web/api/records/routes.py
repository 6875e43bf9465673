"""Routes of the records API, made from :data:`web.api.records.resources.RESOURCES`: list, read, create, update,
deactivate, plus an opportunity's stage change and a quote's new line. Thin: the data scope comes from
:func:`crm.accounts.access.visible_owner_ids` (as on the pages), the rules from the pages' domain functions."""

from __future__ import annotations

from flask import abort, jsonify, request, url_for
from flask_login import current_user
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import BadRequest
from werkzeug.http import parse_etags

from crm.accounts.access import visible_owner_ids
from engine.errors import Forbidden, NotFound, TaskDataInvalid
from engine.runtime import Actor
from i18n import _, _l
from services.processes import tasks
from services.records import kinds, listing
from services.service.queries import service_request_of_instance
from web import db
from web.accounts.auth import actor, may_be_signed_in
from web.api.records import order_writes, schemas, writes
from web.api.records.resources import BY_NAME, RESOURCES, Resource
from web.api.routes import api_login_required, bp
from web.errors import error_body
from web.idempotency import idempotent
from web.orders.contracts import TERMINATE_ROLES

LISTING_PROBLEMS = {
    "sort": _l("Sort by one of %(sorts)s (prefix - for descending)."),
    "limit": _l("limit is a whole number from 1 to %(most)s."),
    "filter": _l("%(argument)s: not a value this filter takes."),
    "cursor": _l("The cursor is not one this API gave out."),
    "cursor_sort": _l("The cursor belongs to another sort order: start again without it."),
    "updated_since": _l("updated_since: an ISO-8601 date-time such as 2026-01-31T08:00:00Z."),
}
"""What a refused list argument (:class:`listing.BadListing`) tells the caller."""
SHAPE_PROBLEMS = {
    "missing": _l("Required."),
    "string_type": _l("Send text."),
    "int_type": _l("Send a whole number."),
    "int_parsing": _l("Send a whole number."),
    "int_from_float": _l("Send a whole number."),
    "bool_type": _l("Send true or false."),
    "bool_parsing": _l("Send true or false."),
    "list_type": _l("Send a list."),
    "greater_than_equal": _l("Too small: send a value of at least %(ge)s."),
    "less_than_equal": _l("Too large: send a value of at most %(le)s."),
}
"""What a body of the wrong shape (pydantic's error type) tells the caller; other types: a generic message."""

SERVICE_PROCESS = "service_request"
"""The process a new service request starts (its start event registers the request)."""


class Precondition(Exception):
    """An update without ``If-Match`` (428) or over a newer version (412)."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


@bp.errorhandler(Precondition)
def precondition(exc: Precondition):
    return jsonify(error_body(str(exc), exc.code)), exc.code


def _scope():
    return visible_owner_ids(db.session(), current_user.user)


def _may(roles) -> None:
    if roles is not None and not current_user.has_role(*roles):
        raise Forbidden(_("Your role may not do this."))


def _record(resource: Resource, record_id: int):
    """The record if the caller may see it; 404 outside their data scope."""
    _may(resource.read_roles)
    found = kinds.visible_record(db.session(), resource.name, record_id, _scope())
    if found is None:
        raise NotFound(_("No such record, or it is not in your data scope."))
    return found


def _json(resource: Resource, record, status: int = 200):
    response = jsonify(resource.out.model_validate(record).model_dump(mode="json"))
    response.status_code = status
    if resource.versioned:
        response.set_etag(str(record.version))
    return response


def _parsed(model: type[BaseModel]) -> BaseModel:
    """The JSON body checked against ``model`` (422 with per-field messages when it does not fit)."""
    raw = request.get_json(silent=True)
    if not isinstance(raw, dict):
        raise TaskDataInvalid({"_body": [_("Send a JSON object.")]})
    try:
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        fields: dict[str, list[str]] = {}
        for error in exc.errors(include_url=False, include_input=False):
            message = SHAPE_PROBLEMS.get(error["type"], _l("Not a value this field takes."))
            fields.setdefault(".".join(str(p) for p in error["loc"]) or "_body", []).append(
                str(message) % (error.get("ctx") or {}))
        raise TaskDataInvalid(fields) from None
    return parsed


def _body(model: type[BaseModel]) -> dict:
    """The JSON body checked against ``model``, as the text values the pages' checks read (unset fields left out)."""
    return {name: _text(value) for name, value in _parsed(model).model_dump(exclude_unset=True).items()}


def _text(value):
    if isinstance(value, list):
        return [_text(item) for item in value]
    if isinstance(value, dict):
        return {name: _text(item) for name, item in value.items()}
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)


def _if_match(record) -> int:
    """The version the caller read (``If-Match``): 428 without one, 412 when the record has moved on."""
    header = request.headers.get("If-Match")
    if not header:
        raise Precondition(428, _("Send If-Match with the ETag you read: an update without it could overwrite "
                                  "someone else's change."))
    if not parse_etags(header).contains(str(record.version)):
        raise Precondition(412, _("The record changed since you read it (it is at version %(version)s): read it "
                                  "again and make your change again.", version=record.version))
    return record.version


def _stale(exc: writes.Stale):
    db.session().rollback()
    raise Precondition(412, str(exc))


def list_view(resource: Resource):
    def view():
        _may(resource.read_roles)
        try:
            asked = listing.read_listing(resource.name, request.args)
        except listing.BadListing as exc:
            raise BadRequest(str(LISTING_PROBLEMS[exc.problem]) % exc.values) from None
        found = listing.page(db.session(), resource.name, _scope(), asked)
        items = [resource.out.model_validate(row).model_dump(mode="json") for row in found.items]
        return jsonify({"items": items, "next_cursor": found.next_cursor})
    return view


def read_view(resource: Resource):
    def view(**kwargs):
        return _json(resource, _record(resource, kwargs[resource.arg]))
    return view


def create_view(resource: Resource):
    def view():
        _may(resource.write_roles)
        try:
            record = resource.create(db.session(), _body(resource.create_in), current_user, _scope())
        except writes.Existing as exc:
            return _json(resource, exc.record)
        db.commit()
        response = _json(resource, record, 201)
        response.headers["Location"] = url_for(f"api.{_endpoint(resource)}_read", **{resource.arg: record.id})
        return response
    return view


def update_view(resource: Resource):
    def view(**kwargs):
        _may(resource.write_roles)
        record = _record(resource, kwargs[resource.arg])
        version = _if_match(record)
        form = {**{k: _text(v) for k, v in resource.current(record).items()}, **_body(resource.update_in)}
        try:
            resource.update(db.session(), record, form, version, current_user, _scope())
        except writes.Stale as exc:
            _stale(exc)
        db.commit()
        return _json(resource, record)
    return view


def deactivate_view(resource: Resource):
    def view(**kwargs):
        _may(resource.write_roles)
        record = _record(resource, kwargs[resource.arg])
        reason = _body(schemas.Deactivate).get("reason", "") if request.content_length else ""
        resource.deactivate(db.session(), record, reason, current_user)
        db.commit()
        return _json(resource, record)
    return view


def _endpoint(resource: Resource) -> str:
    return resource.name.replace("-", "_")


def register() -> None:
    """Add every resource's routes to the API blueprint."""
    for resource in RESOURCES:
        base, one = f"/{resource.name}", f"/{resource.name}/<int:{resource.arg}>"
        name = _endpoint(resource)
        bp.add_url_rule(base, f"{name}_list", api_login_required(list_view(resource)), methods=["GET"])
        bp.add_url_rule(one, f"{name}_read", api_login_required(read_view(resource)), methods=["GET"])
        if resource.create is not None:
            bp.add_url_rule(base, f"{name}_create", api_login_required(idempotent(create_view(resource))),
                            methods=["POST"])
        if resource.update is not None:
            bp.add_url_rule(one, f"{name}_update", api_login_required(update_view(resource)), methods=["PATCH"])
        if resource.deactivate is not None:
            bp.add_url_rule(f"{one}/deactivate", f"{name}_deactivate", api_login_required(deactivate_view(resource)),
                            methods=["POST"])


register()


@bp.post("/opportunities/<int:opp_id>/stage")
@api_login_required
def opportunity_stage(opp_id: int):
    """Move an open opportunity to a stage (with probability override, amount, close date, analysis)."""
    return _versioned_change("opportunities", opp_id, writes.move_opportunity, schemas.StageChangeIn)


@bp.post("/quotes/<int:quote_id>/lines")
@api_login_required
def quote_line(quote_id: int):
    """Add a line to a draft quote; the answer is the quote with its lines and new ETag."""
    return _versioned_change("quotes", quote_id, writes.add_quote_line, schemas.QuoteLineIn, status=201)


@bp.post("/contracts/<int:contract_id>/terminate")
@api_login_required
def contract_terminate(contract_id: int):
    """End an active contract on a date (directors and administrators, as on the contract page)."""
    return _versioned_change("contracts", contract_id, order_writes.terminate_contract,
                             schemas.ContractTerminationIn, roles=TERMINATE_ROLES)


def _versioned_change(name: str, record_id: int, change, schema, status: int = 200, roles=None):
    """Apply ``change`` to a record of resource ``name`` under its If-Match version; the answer is the record.
    ``roles`` may make the change (default: the resource's writers)."""
    resource = BY_NAME[name]
    _may(resource.write_roles if roles is None else roles)
    record = _record(resource, record_id)
    version = _if_match(record)
    try:
        change(db.session(), record, _body(schema), version, current_user)
    except writes.Stale as exc:
        _stale(exc)
    db.commit()
    return _json(resource, record, status)


@bp.post("/service-requests")
@api_login_required
@idempotent
def service_request_create():
    """Register a service request by starting the service-request process (as the desk's start form does)."""
    _may(BY_NAME["service-requests"].write_roles)
    body = _parsed(schemas.ServiceRequestIn).model_dump(exclude_none=True)
    platform = db.platform()
    instance = tasks.start_process(db.session(), platform.engine, platform.forms, SERVICE_PROCESS, body,
                                   _intake_actor())
    db.session().flush()
    found = service_request_of_instance(db.session(), instance.id)
    answer = schemas.ServiceRequestCreated(instance_id=instance.id, request_id=found.id if found else None,
                                           number=found.number if found else None,
                                           status=found.status if found else "registering")
    db.commit()
    return jsonify(answer.model_dump(mode="json")), 201


def _intake_actor() -> Actor:
    """Who starts the process: the caller; an integration user starts it in the service desk's lane (the start
    event's lane), for this one process only — the booking form stands in for the desk's phone."""
    me = actor()
    if "integration" in me.roles:
        return Actor(me.username, frozenset(me.roles) | {"service_agent"})
    return me


def forbid_integration_users_elsewhere() -> None:
    """An integration user (website booking form) may only create service requests: every other call — API or
    page — is 403 (registered for the whole app, :func:`web.init_web`)."""
    if may_be_signed_in() and current_user.is_authenticated and current_user.has_role("integration") \
            and not (current_user.role_keys - {"integration"}) \
            and request.endpoint not in INTEGRATION_ENDPOINTS:
        abort(403)


INTEGRATION_ENDPOINTS = {"api.service_request_create", "api.openapi", "api.token", "auth.login", "auth.logout",
                         "static"}
