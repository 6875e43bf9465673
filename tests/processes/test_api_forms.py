"""Generated forms over the JSON API: 422 with per-field messages, uploads, hand-over and lookups."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from services.processes.uploads import MAX_UPLOAD_BYTES
from tests.engine.helpers import data
from tests.processes.task_helpers import INVALID, VALID_JSON, add_customer, deploy, ready_task, start, user_id


@pytest.fixture
def fill_task(platform, actors, tmp_uploads):
    deploy(platform)
    return ready_task(platform, start(platform, actors["sales"]))


def _json_value(value):
    """An HTML-form test value as a JSON client sends it: an empty field is null."""
    return None if value == "" else value


def _valid(platform, **changes) -> dict:
    return {**VALID_JSON, "contact_user": user_id(platform, "custdir"), **changes}


def _upload(user, content: bytes = b"report", name: str = "report.txt"):
    return user.client.post("/api/uploads", data={"file": (io.BytesIO(content), name)},
                            headers={"X-CSRFToken": user.csrf_token()}, content_type="multipart/form-data")


@pytest.mark.parametrize(("field", "value", "message"), INVALID, ids=[f"{f}-{m}" for f, _, m in INVALID])
def test_invalid_value_gives_422_with_the_field_message(platform, login, fill_task, field, value, message):
    response = login("sales").api("POST", f"/api/tasks/{fill_task.id}/complete",
                                  json=_valid(platform, **{field: _json_value(value)}))
    assert response.status_code == 422
    assert response.json["fields"] == {field: [message]}
    assert ready_task(platform, fill_task.instance_id).id == fill_task.id


@pytest.mark.parametrize(("field", "value", "message"), INVALID, ids=[f"{f}-{m}" for f, _, m in INVALID])
def test_invalid_start_value_gives_422_with_the_field_message(platform, login, tmp_uploads, field, value, message):
    deploy(platform, "start_all_fields.bpmn")
    response = login("sales").api("POST", "/api/processes/start_all_fields/instances",
                                  json=_valid(platform, **{field: _json_value(value)}))
    assert response.status_code == 422 and response.json["fields"] == {field: [message]}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("quantity", 2.5, "Not a valid whole number."),
    ("quantity", True, "Not a valid whole number."),
    ("amount", {"value": 1}, "Not a valid number."),
    ("title_text", 12, "Not a valid text value."),
    ("urgent", 2, "Not a valid yes/no value."),
    ("topics", "price,tech", "Not a valid choice: price,tech."),
    ("contact_user", -3, "Not a valid reference."),
    ("attachment", "report.txt", "Not a valid file upload."),
    ("attachment", {"name": "x.txt", "size": 1, "content_type": "text/plain"}, "Not a valid file upload."),
])
def test_json_specific_invalid_values(platform, login, fill_task, field, value, message):
    response = login("sales").api("POST", f"/api/tasks/{fill_task.id}/complete",
                                  json=_valid(platform, **{field: value}))
    assert response.status_code == 422 and response.json["fields"] == {field: [message]}


def test_several_errors_are_reported_together(platform, login, fill_task):
    response = login("sales").api("POST", f"/api/tasks/{fill_task.id}/complete", json={"quantity": 0})
    assert response.status_code == 422
    assert response.json["fields"] == {"title_text": ["This field is required."], "quantity": ["Must be at least 1."],
                                       "grade": ["This field is required."]}


def test_valid_json_completes_with_typed_values_and_an_uploaded_file(platform, login, fill_task):
    sales = login("sales")
    uploaded = _upload(sales)
    assert uploaded.status_code == 201
    assert uploaded.json["name"] == "report.txt" and uploaded.json["size"] == 6
    assert set(uploaded.json) == {"name", "size", "content_type", "storage_key"}
    response = sales.api("POST", f"/api/tasks/{fill_task.id}/complete",
                         json=_valid(platform, attachment=uploaded.json, subject_copy="tampered"))
    assert response.status_code == 200, response.json
    assert response.json["data"]["amount"] == "12.50" and response.json["data"]["visit_date"] == "2030-05-01"
    values = data(platform, fill_task.instance_id)
    assert values["amount"] == Decimal("12.50") and values["meeting_at"] == dt.datetime(2030, 5, 1, 10, 30)
    assert values["attachment"] == uploaded.json and values["subject_copy"] == "Ship hull quote"
    [review] = response.json["current_tasks"]
    assert review["role"] == "customer_director"


def test_a_file_value_must_be_the_users_own_upload(platform, login, fill_task):
    theirs = _upload(login("sales2")).json
    sales = login("sales")
    forged = {**_upload(sales).json, "storage_key": "f" * 32}
    for value in (theirs, forged, {**theirs, "size": 99}):
        response = sales.api("POST", f"/api/tasks/{fill_task.id}/complete", json=_valid(platform, attachment=value))
        assert response.status_code == 422
        assert response.json["fields"] == {"attachment": ["No such upload: upload the file again."]}


def test_upload_limits_and_errors(login, tmp_uploads):
    sales = login("sales")
    too_large = _upload(sales, b"x" * (MAX_UPLOAD_BYTES + 1))
    assert too_large.status_code == 422 and too_large.json["fields"] == {"file": ["The file is larger than 5 MB."]}
    missing = sales.client.post("/api/uploads", data={}, headers={"X-CSRFToken": sales.csrf_token()})
    assert missing.status_code == 422 and "file" in missing.json["fields"]
    assert sales.client.post("/api/uploads", data={"file": (io.BytesIO(b"x"), "x")}).status_code == 400  # no CSRF
    assert [p for p in tmp_uploads.rglob("*") if p.is_file()] == []


def test_start_over_the_api_validates_the_start_form(platform, login, tmp_uploads):
    deploy(platform)
    sales = login("sales")
    customer = add_customer(platform, "Shanghai Marine", owner="sales")
    refused = sales.api("POST", "/api/processes/all_fields/instances", json={"customer_id": 424242})
    assert refused.status_code == 422
    assert refused.json["fields"] == {"subject": ["This field is required."], "customer_id": ["No such customer."]}
    created = sales.api("POST", "/api/processes/all_fields/instances",
                        json={"subject": "Hull", "customer_id": customer})
    assert created.status_code == 201 and created.json["customer_id"] == customer
    processes = sales.get("/api/processes").json
    [start_form] = [p["start_form"] for p in processes if p["key"] == "all_fields"]
    assert [f["id"] for f in start_form["fields"]] == ["subject", "customer_id"]
    assert start_form["fields"][1]["reference"] == {"kind": "customer", "lookup_url": "/api/lookup/customer"}


def test_conflict_when_completed_twice(platform, login, fill_task):
    sales = login("sales")
    assert sales.api("POST", f"/api/tasks/{fill_task.id}/complete", json=_valid(platform)).status_code == 200
    again = sales.api("POST", f"/api/tasks/{fill_task.id}/complete", json=_valid(platform))
    assert again.status_code == 409 and "already completed by sales" in again.json["error"]


def test_hand_over_over_the_api(platform, login, fill_task):
    sales = login("sales")
    refused = sales.api("POST", f"/api/tasks/{fill_task.id}/assign", json={"username": "finance"})
    assert refused.status_code == 409 and "does not hold the role" in refused.json["error"]
    assert sales.api("POST", f"/api/tasks/{fill_task.id}/assign", json={"username": "nobody"}).status_code == 404
    handed = sales.api("POST", f"/api/tasks/{fill_task.id}/assign", json={"username": "sales2"})
    assert handed.status_code == 200 and handed.json["assignee"] == "sales2"
    again = sales.api("POST", f"/api/tasks/{fill_task.id}/assign", json={"username": "sales"})
    assert again.status_code == 404  # it is sales2's now: a task about no customer is its assignee's


def test_lookup_by_text_and_by_id(platform, login):
    customer = add_customer(platform, "Dalian Shipyard")
    sales = login("sales")
    assert sales.get("/api/lookup/customer?q=dalian").json == [{"id": customer, "label": "Dalian Shipyard"}]
    assert sales.get(f"/api/lookup/customer?id={customer}").json == [{"id": customer, "label": "Dalian Shipyard"}]
    assert sales.get("/api/lookup/customer?id=999999").json == []
