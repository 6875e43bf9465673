"""The import wizard over HTTP as an information officer: upload (GBK CSV, XLSX), mapping suggestions and their
reuse, preview with per-cell errors, dry run, duplicate decisions, import as a job, outcome file, undo."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.imports.models import ImportBatch
from engine.models import OutboxJob

USCC = "91310000MA1FL8LQ34"


def _csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    return "\n".join(",".join(row) for row in rows).encode(encoding)


def upload(user, content: bytes, name: str, kind: str = "customers"):
    response = user.post("/imports", data={"kind": kind, "file": (io.BytesIO(content), name)},
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    assert "/mapping" in location, user.get(location).get_data(as_text=True)[-3000:]  # the flashed refusal
    return int(re.search(r"/imports/(\d+)/mapping", location).group(1))


def batch_of(platform, batch_id: int) -> ImportBatch:
    with platform.sessions() as session:
        batch = session.get(ImportBatch, batch_id)
        session.expunge(batch)
        return batch


def dry_run(user, platform, settle_jobs, batch_id: int, mapping: dict[int, str]) -> ImportBatch:
    data = {f"column_{i}": name for i, name in mapping.items()}
    response = user.post(f"/imports/{batch_id}/mapping", data={**data, "action": "check"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert batch_of(platform, batch_id).status == "checking"  # the scheduler runs it, not this request
    settle_jobs(fast_forward=True)
    return batch_of(platform, batch_id)


def test_gbk_csv_is_read_mapped_by_chinese_headers_checked_imported_and_undone(app, platform, login, settle_jobs,
                                                                                tmp_uploads):
    info = login("info")
    content = _csv([["客户名称", "统一社会信用代码", "联系电话", "邮箱", "所属行业", "地区"],
                    ["杭州精密机械有限公司", USCC, "0571-8888 1234", "sales@jingmi.example.com", "机械", "华东"],
                    ["宁波港口设备公司", "", "不是电话", "", "港口", "华东"]], "gbk")
    batch_id = upload(info, content, "客户.csv")
    page = info.get(f"/imports/{batch_id}/mapping").get_data(as_text=True)
    assert "gb18030" in page
    batch = batch_of(platform, batch_id)
    assert batch.mapping == {"0": "company", "1": "registry_number", "2": "phone", "3": "email", "4": "industry",
                             "5": "region"}
    assert 'data-cell-error="phone"' in page  # the preview marks the refused cell
    batch = dry_run(info, platform, settle_jobs, batch_id, {int(k): v for k, v in batch.mapping.items()})
    assert (batch.status, batch.total_rows, batch.error_rows) == ("checked", 2, 1)
    report = info.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "not a valid phone number" in report
    status = info.get(f"/imports/{batch_id}/status").get_json()
    assert status["status"] == "checked" and status["total"] == 2
    assert info.post(f"/imports/{batch_id}/run").status_code == 302
    settle_jobs()
    batch = batch_of(platform, batch_id)
    assert (batch.status, batch.created_count, batch.failed_count, batch.processed_rows) == ("done", 1, 1, 2)
    with platform.sessions() as session:
        customer = session.scalar(select(Customer).where(Customer.registry_number == USCC))
        assert (customer.company, customer.phone, customer.industry) == ("杭州精密机械有限公司", "+86 571 8888 1234",
                                                                          "机械")
    sheet = load_workbook(io.BytesIO(info.get(f"/imports/{batch_id}/outcome.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Import outcome", "Import messages")
    assert [r[-2] for r in rows[1:]] == ["created", "failed"]
    assert rows[2][-1].startswith("Phone: not a valid phone number")
    assert info.post(f"/imports/{batch_id}/undo").status_code == 302
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Customer).where(Customer.registry_number == USCC)) == 0
    assert batch_of(platform, batch_id).status == "undone"


def test_xlsx_with_saved_mapping_reused_and_duplicates_updated(app, platform, login, settle_jobs, tmp_uploads):
    info = login("info")
    workbook = Workbook()
    workbook.active.append(["Firm", "Tel", "Sector"])
    workbook.active.append(["Lianyun Trading Ltd", "021-5555 0100", "Trade"])
    out = io.BytesIO()
    workbook.save(out)
    first = upload(info, out.getvalue(), "firms.xlsx")
    assert batch_of(platform, first).mapping == {"1": "phone", "2": "industry"}  # "Firm" is no known header
    batch = dry_run(info, platform, settle_jobs, first, {0: "company", 1: "phone", 2: "industry"})
    assert batch.status == "checked"
    info.post(f"/imports/{first}/run")
    settle_jobs()
    # the next file with the same headers gets the remembered choice; its row duplicates the imported customer
    workbook = Workbook()
    workbook.active.append(["Firm", "Tel", "Sector"])
    workbook.active.append(["Lianyun Trading Co.", "+86 21 5555 0100", "Logistics"])
    out = io.BytesIO()
    workbook.save(out)
    second = upload(info, out.getvalue(), "firms2.xlsx")
    assert batch_of(platform, second).mapping == {"0": "company", "1": "phone", "2": "industry"}
    batch = dry_run(info, platform, settle_jobs, second, {0: "company", 1: "phone", 2: "industry"})
    page = info.get(f"/imports/{second}").get_data(as_text=True)
    assert "Lianyun Trading Ltd" in page and 'name="group:name:lianyuntrading"' in page
    info.post(f"/imports/{second}/run", data={"group:name:lianyuntrading": "update"})
    settle_jobs()
    batch = batch_of(platform, second)
    assert (batch.created_count, batch.updated_count) == (0, 1)
    with platform.sessions() as session:
        customers = session.scalars(select(Customer).where(Customer.name_key == "lianyuntrading")).all()
        assert [(c.company, c.industry) for c in customers] == [("Lianyun Trading Co.", "Logistics")]
    info.post(f"/imports/{second}/undo")
    with platform.sessions() as session:
        customer = session.scalar(select(Customer).where(Customer.name_key == "lianyuntrading"))
        assert (customer.company, customer.industry) == ("Lianyun Trading Ltd", "Trade")


def test_only_information_officers_and_administrators_import(app, login, tmp_uploads):
    assert login("sales").get("/imports").status_code == 403
    assert login("admin").get("/imports").status_code == 200


def test_wizard_pages_have_no_unmarked_text(app, platform, login, settle_jobs, tmp_uploads):
    from tests.i18n.pseudo import pseudo_translations, unmarked_text

    info = login("info")
    batch_id = upload(info, _csv([["Company", "Phone"], ["Lianyun Ltd", "bad"], ["Lianyun Ltd", ""]]), "f.csv")
    with platform.sessions() as session:
        name = session.scalar(select(User.display_name).where(User.username == "info"))
    data = [name, "中文", "English", "f.csv", "Company", "Phone", "Lianyun Ltd", "bad", "utf-8", "lianyun",
            "#", "*", "%", "2", "3", "0", "1", "(#1)"]
    with pseudo_translations():
        page = info.get(f"/imports/{batch_id}/mapping").get_data(as_text=True)
    assert unmarked_text(page, data) == []
    dry_run(info, platform, settle_jobs, batch_id, {0: "company", 1: "phone"})
    # row messages are stored by the dry run in the importer's language (here English, outside the block)
    data.append("not a valid phone number (a number without +country code is read as Chinese)")
    data.append("lianyun")
    with pseudo_translations():
        page = info.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert unmarked_text(page, data) == []


def test_an_import_whose_records_are_in_use_cannot_be_undone(app, platform, login, settle_jobs, tmp_uploads):
    from decimal import Decimal

    from crm.sales.opportunities import create_opportunity

    info = login("info")
    batch_id = upload(info, _csv([["Company", "Phone"], ["Used Later Ltd", ""], ["Unused Ltd", ""]]), "two.csv")
    dry_run(info, platform, settle_jobs, batch_id, {0: "company", 1: "phone"})
    info.post(f"/imports/{batch_id}/run")
    settle_jobs()
    with platform.sessions.begin() as session:
        customer = session.scalar(select(Customer).where(Customer.company == "Used Later Ltd"))
        create_opportunity(session, customer, "Crane", Decimal("1000"), "sales")
    page = info.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "Cannot be undone any more: imported records are used by opportunity records." in page
    answer = info.post(f"/imports/{batch_id}/undo", follow_redirects=True).get_data(as_text=True)
    assert "This import cannot be undone" in answer
    assert batch_of(platform, batch_id).status == "done"
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 2


def test_an_import_file_may_be_larger_than_other_requests(app, platform, login, tmp_uploads):
    info = login("info")
    rows = [["Company", "Address"], *([f"Big File Co {i}", "x" * 200] for i in range(40_000))]
    content = _csv(rows)
    assert len(content) > app.config["MAX_CONTENT_LENGTH"]
    batch_id = upload(info, content, "big.csv")
    assert batch_of(platform, batch_id).headers == ["Company", "Address"]


def test_the_choice_for_every_group_also_decides_groups_beyond_the_list(app, platform, login, settle_jobs,
                                                                           tmp_uploads, monkeypatch):
    from services.imports import wizard

    monkeypatch.setattr(wizard, "LISTED", 1)  # the page lists one group; the second follows "for every group"
    info = login("info")
    rows = [["Company", "Industry"], ["Alpha Ltd", "A"], ["Alpha Ltd", "A2"], ["Beta Ltd", "B"], ["Beta Ltd", "B2"]]
    batch_id = upload(info, _csv(rows), "groups.csv")
    dry_run(info, platform, settle_jobs, batch_id, {0: "company", 1: "industry"})
    page = info.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert 'name="group:name:alpha"' in page and 'name="group:name:beta"' not in page
    info.post(f"/imports/{batch_id}/run", data={"group:name:alpha": "skip", "all_groups": "update"})
    settle_jobs()
    with platform.sessions() as session:
        assert sorted((c.company, c.industry) for c in session.scalars(select(Customer))) == [
            ("Alpha Ltd", "A2"), ("Beta Ltd", "B2")]


def test_a_check_that_keeps_failing_ends_failed_with_its_error_and_can_be_started_again(app, platform, login,
                                                                                         settle_jobs, tmp_uploads):
    from services.imports.wizard import file_path

    info = login("info")
    content = _csv([["客户名称", "联系电话"], ["杭州精密机械有限公司", "0571-8888 1234"]])
    batch_id = upload(info, content, "customers.csv")
    path = file_path(tmp_uploads, batch_of(platform, batch_id))
    path.unlink()  # the stored file is gone (a disk fault): reading it raises on every attempt
    data = {"column_0": "company", "column_1": "phone", "action": "check"}
    assert info.post(f"/imports/{batch_id}/mapping", data=data).status_code == 302
    for _ in range(3):  # the job's attempts, retried with backoff
        settle_jobs(fast_forward=True)
    batch = batch_of(platform, batch_id)
    with platform.sessions() as session:
        job = session.scalars(select(OutboxJob).where(OutboxJob.kind == "import_check")
                              .order_by(OutboxJob.id.desc())).first()
    assert batch.status == "failed" and f"job {job.id}" in batch.problem
    assert job.last_error.startswith("FileNotFoundError") and str(path) in job.last_error  # for admins
    page = info.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "The check stopped on an error" in page and f"job {job.id}" in page
    assert "FileNotFoundError" not in page and str(tmp_uploads) not in page  # no exception or server path

    path.write_bytes(content)
    batch = dry_run(info, platform, settle_jobs, batch_id, {0: "company", 1: "phone"})
    assert (batch.status, batch.total_rows, batch.problem) == ("checked", 1, "")
