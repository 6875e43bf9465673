"""The JSON API (documented at ``/api/openapi.json``): session or bearer-token authentication.

The writes a client may need to retry (start, claim, complete, assign) are :func:`web.idempotency.idempotent`:
their ``db.commit()`` waits until the answer is built, so an answer never depends on a query after the commit,
and with an ``Idempotency-Key`` the answer is stored with the work.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user

from crm.accounts.signin import LoginThrottled
from engine.errors import NotFound, TaskDataInvalid
from engine.models import HumanTask, ProcessInstance
from engine.runtime import current_data
from engine.workflow import PlatformWorkflow
from services.processes import labels, lookups, outcomes, queries, task_actions, tasks, uploads, worklist
from web import db
from web.accounts.auth import TOKEN_MAX_AGE, actor, bearer_authenticated, check_credentials, issue_token
from web.api.openapi import OPENAPI
from web.api.shapes import event_json, instance_json, listed_task_json, task_json
from web.errors import error_body
from web.extensions import csrf
from web.idempotency import idempotent
from web.processes.form_input import store

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.before_request
def csrf_for_cookie_sessions():
    """Browser calls (cookie session) need the CSRF header; calls signed in by a valid bearer token do not, and
    calls signed in by neither get the views' 401 (they can do nothing a forged request could abuse)."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and not bearer_authenticated() \
            and request.endpoint != "api.token" and current_user.is_authenticated:
        csrf.protect()


def api_login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return jsonify(error_body("authentication required", 401)), 401
        return view(*args, **kwargs)

    return wrapper


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise TaskDataInvalid({"_body": ["Send a JSON object."]})
    return body


@bp.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


@bp.post("/auth/token")
def token():
    body = request.get_json(silent=True) or {}
    try:
        user = check_credentials(str(body.get("username", "")), str(body.get("password", "")))
    except LoginThrottled as exc:
        return jsonify(error_body(str(exc), 429)), 429
    if user is None:
        return jsonify(error_body("wrong username or password", 401)), 401
    return jsonify({"token": issue_token(user), "token_type": "Bearer",
                    "expires_in": int(TOKEN_MAX_AGE.total_seconds())})


@bp.get("/processes")
@api_login_required
def processes():
    platform = db.platform()
    result = []
    for version in tasks.startable_versions(db.session(), platform.engine, platform.forms, actor()):
        form = tasks.start_form(platform.engine, platform.forms, version)
        result.append({"key": version.process_key, "name": version.name, "version": version.version,
                       "start_form": form.to_api() if form else None})
    return jsonify(result)


@bp.post("/processes/<key>/instances")
@api_login_required
@idempotent
def start(key: str):
    platform = db.platform()
    instance = tasks.start_process(db.session(), platform.engine, platform.forms, key, _body(), actor())
    db.commit()
    return jsonify(_instance_detail(instance)), 201


@bp.get("/instances/<int:instance_id>")
@api_login_required
def instance(instance_id: int):
    found = queries.instance_by_id(db.session(), instance_id)
    if found is None or not tasks.may_see_instance(db.session(), found, actor()):
        raise NotFound(f"no instance {instance_id}, or it is not one of yours")
    return jsonify(_instance_detail(found))


def _instance_detail(instance: ProcessInstance, open_tasks: list[HumanTask] | None = None,
                     workflow: PlatformWorkflow | None = None, *, labelled: bool = False) -> dict:
    """The instance, its open tasks, data and history (``open_tasks``, ``workflow``: when the caller has them;
    ``labelled``: the instance and ``open_tasks`` carry the request's language already, see :func:`labels.show`)."""
    session = db.session()
    if workflow is None:
        workflow = db.platform().engine.restore(instance)
    if open_tasks is None:
        open_tasks = tasks.open_task_rows(session, instance, workflow)
    if not labelled:
        labels.show(session, [instance, *open_tasks])
    return {
        **instance_json(instance),
        "current_tasks": [task_json(t) for t in open_tasks],
        "data": current_data(workflow),
        "history": [event_json(e) for e in tasks.instance_history(session, instance.id)],
    }


@bp.get("/tasks")
@api_login_required
def task_list():
    flt = worklist.TaskFilter.from_args(request.args)
    page = request.args.get("page", 1, type=int)
    lists = worklist.list_pages(db.session(), actor(), worklist.LISTS, flt, page, user=current_user.user)
    counts = lists["mine"].counts
    return jsonify({
        **{which: [listed_task_json(t, listed.about.get(t.id)) for t in listed.items]
           for which, listed in lists.items()},
        "counts": {which: count.value for which, count in counts.items()},
        "counts_are_lower_bounds": {which: count.more for which, count in counts.items()},
        "has_next": {which: listed.has_next for which, listed in lists.items()},
        "page": page,
    })


@bp.get("/tasks/<task_id>")
@api_login_required
def task_detail(task_id: str):
    platform = db.platform()
    view = tasks.task_essentials(db.session(), platform.engine, platform.forms, task_id, actor())
    return jsonify({
        **task_json(view.row), "instructions": view.instructions,
        "instance": instance_json(view.instance), "data": view.data,
        "form": view.form.to_api() if view.form else None, "initial": view.initial,
        "context": view.context, "rules": [rule.to_api() for rule in view.rules],
        "complete_url": url_for("api.complete", task_id=task_id),
    })


@bp.post("/tasks/<task_id>/claim")
@api_login_required
@idempotent
def claim(task_id: str):
    row = task_actions.claim(db.session(), db.platform().engine, task_id, actor())
    db.commit()
    return jsonify(task_json(row))


@bp.post("/tasks/<task_id>/unclaim")
@api_login_required
def unclaim(task_id: str):
    row = task_actions.release(db.session(), db.platform().engine, task_id, actor())
    db.commit()
    return jsonify(task_json(row))


@bp.post("/tasks/<task_id>/complete")
@api_login_required
@idempotent
def complete(task_id: str):
    platform = db.platform()
    me = actor()
    session = db.session()
    instance = tasks.complete_task(session, platform.engine, platform.forms, task_id, _body(), me)
    db.commit()
    done = platform.engine.get_task(session, task_id)  # the row the completion wrote (no query)
    workflow = platform.engine.restore(instance)
    ready = tasks.open_task_rows(session, instance, workflow)
    outcome = outcomes.after_completion(session, platform.engine, instance, done, me, ready, workflow)
    # the outcome's words are in the request's language, and so are the instance and its open tasks now
    return jsonify({**_instance_detail(instance, ready, workflow, labelled=True), "outcome": outcome.to_api()})


@bp.post("/tasks/<task_id>/assign")
@api_login_required
@idempotent
def assign(task_id: str):
    platform = db.platform()
    row = task_actions.hand_over(db.session(), platform.engine, platform.alerts, task_id,
                                 str(_body().get("username", "")), actor())
    db.commit()
    return jsonify(task_json(row))


@bp.post("/uploads")
@api_login_required
def upload():
    """Store one file (multipart field ``file``); the answer is the value to put in a file field."""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        raise TaskDataInvalid({"file": ["Send the file as the multipart field 'file'."]})
    try:
        stored = store(sent)
    except uploads.UploadRefused as exc:
        raise TaskDataInvalid({"file": [str(exc)]}) from None
    db.commit()
    return jsonify(stored.as_value()), 201


@bp.get("/lookup/<kind>")
@api_login_required
def lookup(kind: str):
    """Records of a kind the caller may pick whose label contains ``q``; or the one record ``id`` they may see
    (to label a stored value)."""
    if kind not in lookups.kinds():
        raise NotFound(f"no lookup {kind!r}")
    session = db.session()
    scope = lookups.reference_scope(session, actor())
    record_id = request.args.get("id", type=int)
    if record_id is not None:
        label = lookups.visible_label(session, scope, kind, record_id)
        return jsonify([{"id": record_id, "label": label}] if label is not None else [])
    rows = lookups.search(session, scope, kind, request.args.get("q", "")[:200])
    return jsonify([{"id": rid, "label": label} for rid, label in rows])
