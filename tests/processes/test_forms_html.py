"""Generated forms over HTML: every field type and constraint, valid and invalid, on task and start forms."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from engine.models import ProcessInstance
from services.processes.uploads import MAX_UPLOAD_BYTES
from tests.engine.helpers import data
from tests.processes.task_helpers import INVALID, VALID_HTML, add_customer, deploy, ready_task, start, user_id


@pytest.fixture
def fill_task(platform, actors, tmp_uploads):
    """The "fill" task of a fresh all_fields instance (salesperson lane)."""
    deploy(platform)
    return ready_task(platform, start(platform, actors["sales"]))


def _valid(platform, **changes) -> dict:
    return {**VALID_HTML, "contact_user": str(user_id(platform, "custdir")), **changes}


def _field_block(page: str, field_id: str) -> str:
    """The markup of one generated field (its mb-3 block)."""
    match = re.search(rf'<div class="mb-3[^"]*">\s*(?:(?!<div class="mb-3).)*?name="{field_id}".*?</div>\s*</div>',
                      page, re.S)
    assert match, f"no field {field_id} in the page"
    return match.group(0)


@pytest.mark.parametrize(("field", "value", "message"), INVALID, ids=[f"{f}-{m}" for f, _, m in INVALID])
def test_invalid_value_is_refused_with_a_message_at_the_field(platform, login, fill_task, field, value, message):
    sales = login("sales")
    response = sales.post(f"/tasks/{fill_task.id}", data=_valid(platform, **{field: value}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    block = _field_block(page, field)
    assert "is-invalid" in block and message in html.unescape(block)
    assert "Please correct the marked fields." in page
    assert ready_task(platform, fill_task.instance_id).id == fill_task.id  # nothing was completed


@pytest.mark.parametrize(("field", "value", "message"), INVALID, ids=[f"{f}-{m}" for f, _, m in INVALID])
def test_invalid_value_on_a_start_form(platform, login, tmp_uploads, field, value, message):
    deploy(platform, "start_all_fields.bpmn")
    response = login("sales").post("/processes/start/start_all_fields", data=_valid(platform, **{field: value}))
    assert response.status_code == 422
    block = _field_block(response.get_data(as_text=True), field)
    assert "is-invalid" in block and message in html.unescape(block)
    with platform.sessions() as session:
        assert session.scalars(select(ProcessInstance)).all() == []


def test_valid_start_form_with_every_field_type(platform, login, tmp_uploads):
    deploy(platform, "start_all_fields.bpmn")
    form = _valid(platform, fixed="tampered", attachment=(io.BytesIO(b"spec"), "spec.txt"))
    response = login("sales").post("/processes/start/start_all_fields", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    with platform.sessions() as session:
        instance = session.scalars(select(ProcessInstance)).one()
    values = data(platform, instance.id)
    assert values["amount"] == Decimal("12.50") and values["visit_date"] == dt.date(2030, 5, 1)
    assert values["topics"] == ["price", "tech"] and values["urgent"] is True and values["fixed"] == "as designed"
    assert values["attachment"]["name"] == "spec.txt" and values["attachment"]["size"] == 4


def test_invalid_submission_keeps_what_was_typed(platform, login, fill_task):
    page = login("sales").post(f"/tasks/{fill_task.id}", data=_valid(platform, quantity="0", notes="keep me"))
    text = page.get_data(as_text=True)
    assert "keep me" in text and 'value="ABC-123"' in text


def test_valid_submission_completes_with_typed_values(platform, login, fill_task):
    sales = login("sales")
    form = _valid(platform, subject_copy="tampered", attachment=(io.BytesIO(b"%PDF-1.4 hull"), "hull.pdf"))
    response = sales.post(f"/tasks/{fill_task.id}", data=form, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/worklist/")
    assert "“Fill in every field” completed." in sales.get("/worklist/").get_data(as_text=True)
    values = data(platform, fill_task.instance_id)
    assert values["quantity"] == 5 and values["amount"] == Decimal("12.50")
    assert values["visit_date"] == dt.date(2030, 5, 1)
    assert values["meeting_at"] == dt.datetime(2030, 5, 1, 10, 30)
    assert values["urgent"] is True and values["grade"] == "key" and values["topics"] == ["price", "tech"]
    assert values["contact_user"] == user_id(platform, "custdir")
    assert values["subject_copy"] == "Ship hull quote"  # readonly: the submitted value is ignored
    attachment = values["attachment"]
    assert attachment["name"] == "hull.pdf" and attachment["size"] == 13
    assert attachment["content_type"] == "application/pdf" and len(attachment["storage_key"]) == 32
    stored = platform.settings.upload_dir / attachment["storage_key"][:2] / attachment["storage_key"]
    assert stored.read_bytes() == b"%PDF-1.4 hull"
    assert ready_task(platform, fill_task.instance_id).task_name == "review"


def test_empty_optional_fields_are_stored_as_empty_values(platform, login, fill_task):
    minimal = {"title_text": "Quote", "quantity": "1", "grade": "prospect"}
    assert login("sales").post(f"/tasks/{fill_task.id}", data=minimal).status_code == 302
    values = data(platform, fill_task.instance_id)
    assert values["urgent"] is False and values["topics"] == [] and values["amount"] is None
    assert values["attachment"] is None and values["contact_user"] is None


def _stored_files(directory) -> list:
    return [p for p in directory.rglob("*") if p.is_file()]


def test_attachment_is_downloadable_and_too_large_files_are_refused(platform, login, fill_task, tmp_uploads):
    sales = login("sales")
    big = io.BytesIO(b"x" * (MAX_UPLOAD_BYTES + 1))
    refused = sales.post(f"/tasks/{fill_task.id}", data=_valid(platform, attachment=(big, "big.bin")),
                         content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "The file is larger than 5 MB." in _field_block(refused.get_data(as_text=True), "attachment")
    assert _stored_files(tmp_uploads) == []
    sales.post(f"/tasks/{fill_task.id}", data=_valid(platform, attachment=(io.BytesIO(b"hello"), "a.txt")),
               content_type="multipart/form-data")
    key = data(platform, fill_task.instance_id)["attachment"]["storage_key"]
    download = login("custdir").get(f"/files/{key}")
    assert download.status_code == 200 and download.data == b"hello"
    assert 'filename=a.txt' in download.headers["Content-Disposition"]
    assert login("custdir").get("/files/" + "0" * 32).status_code == 404


def test_attachments_are_downloaded_only_by_who_may_see_their_process(platform, login, fill_task, tmp_uploads):
    login("sales").post(f"/tasks/{fill_task.id}", data=_valid(platform, attachment=(io.BytesIO(b"hull"), "h.txt")),
                        content_type="multipart/form-data")
    key = data(platform, fill_task.instance_id)["attachment"]["storage_key"]
    allowed = {user: login(user).get(f"/files/{key}").status_code
               for user in ("sales", "custdir", "admin", "finance", "engineer")}
    # the uploader, the next step's lane, an admin; not the lanes this process never reaches
    assert allowed == {"sales": 200, "custdir": 200, "admin": 200, "finance": 404, "engineer": 404}


def test_a_salesperson_outside_the_customers_scope_cannot_download(platform, login, actors, tmp_uploads):
    deploy(platform)
    task = ready_task(platform, start(platform, actors["sales"], customer_id=add_customer(platform, "Own", "sales")))
    login("sales").post(f"/tasks/{task.id}", data=_valid(platform, attachment=(io.BytesIO(b"own"), "o.txt")),
                        content_type="multipart/form-data")
    key = data(platform, task.instance_id)["attachment"]["storage_key"]
    assert login("sales").get(f"/files/{key}").status_code == 200
    assert login("sales2").get(f"/files/{key}").status_code == 404  # same lane, a colleague's customer


def test_an_upload_not_yet_submitted_is_only_the_uploaders(login, tmp_uploads):
    response = login("sales").post("/api/uploads", data={"file": (io.BytesIO(b"draft"), "d.txt")},
                                   content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    key = response.get_json()["storage_key"]
    assert login("sales").get(f"/files/{key}").status_code == 200
    assert login("custdir").get(f"/files/{key}").status_code == 404


def test_invalid_form_discards_the_uploaded_bytes(platform, login, fill_task, tmp_uploads):
    response = login("sales").post(
        f"/tasks/{fill_task.id}", data=_valid(platform, quantity="0", attachment=(io.BytesIO(b"abc"), "a.txt")),
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert _stored_files(tmp_uploads) == []


def test_generated_form_carries_html_constraints_and_lookup(platform, login, fill_task):
    page = login("sales").get(f"/tasks/{fill_task.id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="title_text"[^>]*required', page) or \
        re.search(r'<input[^>]*required[^>]*name="title_text"', page)
    assert 'maxlength="20"' in page and 'min="1"' in page and 'max="100"' in page
    assert 'data-lookup="/api/lookup/user"' in page and "js/lookup.js" in page
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert "Three capitals, a dash, three digits" in page  # help text
    assert re.search(r'name="subject_copy"[^>]*readonly|readonly[^>]*name="subject_copy"', page)


# --- the start form -------------------------------------------------------------------------------


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"subject": ""}, "subject", "This field is required."),
    ({"subject": "s" * 41}, "subject", "Must be at most 40 characters."),
    ({"subject": "ok", "customer_id": "x"}, "customer_id", "Not a valid reference."),
    ({"subject": "ok", "customer_id": "987654"}, "customer_id", "No such customer."),
])
def test_start_form_refuses_invalid_values(platform, login, tmp_uploads, values, field, message):
    deploy(platform)
    response = login("sales").post("/processes/start/all_fields", data=values)
    assert response.status_code == 422
    assert message in html.unescape(_field_block(response.get_data(as_text=True), field))


def test_start_form_starts_the_process_with_typed_values(platform, login):
    deploy(platform)
    customer = add_customer(platform, "Dalian Shipyard", owner="sales")
    sales = login("sales")
    page = sales.get("/processes/start/all_fields").get_data(as_text=True)
    assert 'data-lookup="/api/lookup/customer"' in page and "js/lookup.js" in page
    response = sales.post("/processes/start/all_fields", data={"subject": "Hull 7", "customer_id": str(customer)})
    assert response.status_code == 302
    listing = sales.get("/worklist/?list=queue").get_data(as_text=True)
    assert "Started “All field types”" in listing and "Fill in every field" in listing
    with platform.sessions() as session:
        instance = session.scalars(select(ProcessInstance)).one()
    assert instance.customer_id == customer
    assert data(platform, instance.id)["subject"] == "Hull 7"


def test_start_form_is_only_for_the_start_lane(platform, login):
    deploy(platform)
    finance = login("finance")
    assert "All field types" not in finance.get("/processes/start").get_data(as_text=True)
    assert finance.post("/processes/start/all_fields", data={"subject": "x"}).status_code == 403
