"""The records' part of ``/api/openapi.json``, generated from :data:`web.api.records.resources.RESOURCES` and the
pydantic classes of :mod:`web.api.records.schemas` (their JSON Schema is OpenAPI 3.1's dialect): one definition
per resource, so the document says what the routes answer."""

from __future__ import annotations

from pydantic import BaseModel

from services.records.kinds import KINDS
from services.records.listing import DEFAULT_LIMIT, MAX_LIMIT
from web.api.records import schemas
from web.api.records.resources import RESOURCES, Resource

REF = "#/components/schemas/{model}"
_ERROR = {"$ref": "#/components/schemas/Error"}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "The ETag of the record as you read it. Required: without it the update answers 428; "
                           "when the record changed since, 412 (read it again, then make your change again)."}
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
ETAG = {"ETag": {"description": "The record's version, for If-Match", "schema": {"type": "string"}}}


def _schema(model: type[BaseModel], components: dict, mode: str) -> dict:
    """A reference to ``model``'s schema, adding it (and the schemas it uses) to ``components``."""
    schema = model.model_json_schema(mode=mode, ref_template=REF)
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _answer(description: str, schema: dict, errors: tuple[int, ...], *, etag: bool = False,
            status: str = "200") -> dict:
    ok = {"description": description, "content": {"application/json": {"schema": schema}}}
    if etag:
        ok["headers"] = ETAG
    responses = {status: ok}
    for code in (400, 401, *errors):
        responses[str(code)] = {"description": "Error", "content": {"application/json": {"schema": _ERROR}}}
    return responses


def _body(ref: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref}}}


def _list_parameters(resource: Resource) -> list[dict]:
    kind = KINDS[resource.name]
    sorts = sorted(kind.sorts)
    parameters = [
        {"name": "sort", "in": "query", "required": False,
         "schema": {"type": "string", "enum": [*sorts, *(f"-{s}" for s in sorts)], "default": "id"},
         "description": "Sort key; a leading - sorts descending. Ties are broken by id."},
        {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
        {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "next_cursor of the page before (same sort); rows added meanwhile are neither skipped nor "
                        "repeated"},
    ]
    parameters.append({"name": "updated_since", "in": "query", "required": False,
                       "schema": {"type": "string", "format": "date-time"},
                       "description": "Only records changed at or after this time (with an offset such as `Z`; "
                                      "without one it is in your own time zone): for a sync, send the time your "
                                      "last sync started. A change of a part is a change of the whole: a payment "
                                      "or plan line changes its payment plan, an order or its items the service "
                                      "request"})
    for name in kind.filters:
        parameters.append({"name": name, "in": "query", "required": False, "schema": {"type": "string"},
                           "description": f"Only records whose {name.replace('_', ' ')} is this"})
    return parameters


def record_openapi() -> tuple[dict, dict]:
    """(paths, component schemas) of every resource's operations."""
    components: dict = {}
    paths: dict = {}
    for resource in RESOURCES:
        out = _schema(resource.out, components, "serialization")
        page = {"type": "object", "required": ["items", "next_cursor"], "properties": {
            "items": {"type": "array", "items": out},
            "next_cursor": {"type": ["string", "null"], "description": "Send as cursor for the next page; null on "
                                                                        "the last one"}}}
        who = "" if resource.read_roles is None else f" Roles: {', '.join(sorted(set(resource.read_roles)))}."
        base = {"get": {"summary": f"List {resource.name.replace('-', ' ')} within your data scope.{who}",
                        "parameters": _list_parameters(resource), "responses": _answer("One page", page, (403,))}}
        one_path = f"/api/{resource.name}/{{{resource.arg}}}"
        argument = [{"name": resource.arg, "in": "path", "required": True, "schema": ID}]
        one = {"parameters": argument, "get": {
            "summary": f"One {resource.title} (404 outside your data scope)",
            "responses": _answer("The record", out, (403, 404), etag=resource.versioned)}}
        if resource.create_in is not None:
            responses = _answer("Created", out, (403, 409, 422), etag=resource.versioned, status="201")
            if resource.name == "payments":
                responses["200"] = {"description": "Recorded before under the same reference",
                                    "content": {"application/json": {"schema": out}}}
            base["post"] = {"summary": f"Create a {resource.title} (the page's checks apply; 422 names each field)",
                            "requestBody": _body(_schema(resource.create_in, components, "validation")),
                            "responses": responses}
        if resource.update is not None:
            one["patch"] = {"summary": f"Change a {resource.title}: the fields sent replace the current ones",
                            "parameters": [IF_MATCH],
                            "requestBody": _body(_schema(resource.update_in, components, "validation")),
                            "responses": _answer("Saved", out, (403, 404, 409, 412, 422, 428), etag=True)}
        paths[f"/api/{resource.name}"] = base
        paths[one_path] = one
        if resource.deactivate is not None:
            paths[f"{one_path}/deactivate"] = {"parameters": argument, "post": {
                "summary": f"Deactivate a {resource.title}: kept with its history, hidden from lists and pickers",
                "requestBody": {"required": False, "content": {"application/json": {
                    "schema": _schema(schemas.Deactivate, components, "validation")}}},
                "responses": _answer("Deactivated", out, (403, 404, 409, 422), etag=resource.versioned)}}
    _extras(paths, components)
    return paths, components


def _extras(paths: dict, components: dict) -> None:
    """The operations beyond create/read/update: stage change, quote line, contract termination, service request."""
    opportunity = {"$ref": REF.format(model="OpportunityOut")}
    paths["/api/opportunities/{opp_id}/stage"] = {
        "parameters": [{"name": "opp_id", "in": "path", "required": True, "schema": ID}],
        "post": {"summary": "Move an open opportunity to a stage (409 when it is closed)", "parameters": [IF_MATCH],
                 "requestBody": _body(_schema(schemas.StageChangeIn, components, "validation")),
                 "responses": _answer("Moved", opportunity, (403, 404, 409, 412, 422, 428), etag=True)}}
    paths["/api/quotes/{quote_id}/lines"] = {
        "parameters": [{"name": "quote_id", "in": "path", "required": True, "schema": ID}],
        "post": {"summary": "Add a line to a draft quote (409 once sent); the answer is the quote",
                 "parameters": [IF_MATCH],
                 "requestBody": _body(_schema(schemas.QuoteLineIn, components, "validation")),
                 "responses": _answer("Added", {"$ref": REF.format(model="QuoteOut")},
                                      (403, 404, 409, 412, 422, 428), etag=True, status="201")}}
    paths["/api/contracts/{contract_id}/terminate"] = {
        "parameters": [{"name": "contract_id", "in": "path", "required": True, "schema": ID}],
        "post": {"summary": "End an active contract on a date (directors and administrators; 409 unless active)",
                 "parameters": [IF_MATCH],
                 "requestBody": _body(_schema(schemas.ContractTerminationIn, components, "validation")),
                 "responses": _answer("Terminated", {"$ref": REF.format(model="ContractOut")},
                                      (403, 404, 409, 412, 422, 428), etag=True)}}
    paths["/api/service-requests"]["post"] = {
        "summary": "Register a service request: starts the service-request process (its start form's checks "
                   "apply). Service roles and integration users (a website booking form) may.",
        "requestBody": _body(_schema(schemas.ServiceRequestIn, components, "validation")),
        "responses": _answer("Registered", _schema(schemas.ServiceRequestCreated, components, "serialization"),
                             (403, 404, 422), status="201")}
