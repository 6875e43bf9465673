"""A 100-row customer file with every kind of error and duplicate gives exactly the expected dry-run report,
import outcomes per row (per duplicate decision) and outcome file; then the batch is undone."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select
from stdnum.cn import uscc

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.customers.records import add_contact, create_customer
from crm.imports.models import ImportBatch
from tests.imports.test_wizard_flow import batch_of, dry_run, upload

HEADERS = ["公司名称", "Registry number", "电话", "E-mail", "Grade", "Owner", "Industry"]


def _uscc(n: int) -> str:
    body = f"91440300{n:09d}"
    return body + uscc.calc_check_digit(body)


EXISTING = {"registry": _uscc(900), "company": "上海船舶重工有限公司", "phone": "021-5555 0100",
            "contact_email": "buyer@haiyun.example.com"}


def _rows() -> list[tuple[list[str], str, str]]:
    """(cells, dry-run status, outcome after the import) for lines 2..101 of the file."""
    ok = lambda n: [f"Valid Company {n:03d}", _uscc(n), f"139{n:08d}", f"c{n}@valid.example.com", "prospect",  # noqa: E731
                    "sales", "Machinery"]
    rows: list[tuple[list[str], str, str]] = []
    for n in range(70):
        rows.append((ok(n), "ready", "created"))
    errors = [  # one kind of error each (line 72 onwards)
        ["", _uscc(100), "", "", "", "", ""],                                  # company missing
        ["Bad Phone Co", "", "12345", "", "", "", ""],                          # phone
        ["Bad Mail Co", "", "", "not-an-email", "", "", ""],                    # e-mail
        ["Bad Registry Co", "91440300000000101X", "", "", "", "", ""],          # USCC check digit
        ["Bad Grade Co", "", "", "", "platinum", "", ""],                       # grade
        ["Unknown Owner Co", "", "", "", "", "nobody_here", ""],                # owner
        ["X" * 201, "", "", "", "", "", ""],                                    # too long
        ["", "bad code!", "abc", "@", "vip", "ghost", ""],                      # everything at once
    ]
    for cells in errors:
        rows.append((cells, "error", "failed"))
    rows += [  # duplicates of the existing customer, one per key (lines 80-83)
        (["Another Name Ltd", EXISTING["registry"], "", "", "", "", ""], "duplicate", "updated"),
        (["上海 船舶重工 公司", "", "", "", "", "", "Shipbuilding"], "duplicate", "updated"),
        (["Phone Twin Ltd", "", "+86 21 5555 0100", "", "", "", ""], "duplicate", "skipped"),
        (["Mail Twin Ltd", "", "", "Buyer@HaiYun.example.com", "", "", ""], "duplicate", "created"),
    ]
    rows += [  # within the file: three lines with one name (lines 84-86), two with one phone (87-88)
        (["Triple Works Co., Ltd.", "", "", "", "", "", "A"], "duplicate", "created"),
        (["TRIPLE WORKS", "", "", "", "", "", "B"], "duplicate", "skipped"),
        (["Triple  Works  Company", "", "", "", "", "", "C"], "duplicate", "skipped"),
        (["Phone Pair One", "", "0755-2666 8888", "", "", "", ""], "duplicate", "created"),
        (["Phone Pair Two", "", "0755 26668888", "", "", "", "Updated later"], "duplicate", "updated"),
    ]
    for n in range(13):  # more valid rows up to line 101
        rows.append((ok(200 + n), "ready", "created"))
    assert len(rows) == 100
    return rows


def _content() -> bytes:
    out = io.StringIO()
    out.write(",".join(HEADERS) + "\n")
    for cells, _status, _outcome in _rows():
        out.write(",".join(f'"{c}"' for c in cells) + "\n")
    return out.getvalue().encode("utf-8-sig")


def test_hundred_rows_exact_report_outcomes_and_undo(app, platform, login, settle_jobs, tmp_uploads):
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        existing = create_customer(session, {"company": EXISTING["company"], "registry_number": EXISTING["registry"],
                                             "phone": "+86 21 5555 0100", "industry": "Ships"}, sales, "test")
        add_contact(session, existing, {"name": "Buyer", "email": EXISTING["contact_email"], "is_main": True},
                    "test")
        existing_id = existing.id
    info = login("info")
    batch_id = upload(info, _content(), "100.csv")
    assert batch_of(platform, batch_id).mapping == {"0": "company", "1": "registry_number", "2": "phone",
                                                    "3": "email", "4": "grade", "5": "owner", "6": "industry"}
    batch = dry_run(info, platform, settle_jobs, batch_id, {i: v for i, v in enumerate(
        ["company", "registry_number", "phone", "email", "grade", "owner", "industry"])})
    assert (batch.status, batch.total_rows, batch.error_rows) == ("checked", 100, 8)

    with platform.sessions() as session:
        from services.imports import wizard
        report = wizard.report(session, session.get(ImportBatch, batch_id))
    assert [(g.reason, g.value, g.match_id, g.numbers) for g in report["groups"]] == [
        ("registry", EXISTING["registry"], existing_id, [80]),
        ("name", "上海船舶重工", existing_id, [81]),
        ("phone", "+86 21 5555 0100", existing_id, [82]),
        ("email", "buyer@haiyun.example.com", existing_id, [83]),
        ("name", "tripleworks", None, [84, 85, 86]),
        ("phone", "+86 755 2666 8888", None, [87, 88]),
    ]
    assert report["ready"] == 83 and report["rows_in_groups"] == 9
    assert [(number, sorted(errors)) for number, errors in report["errors"]] == [
        (72, ["company"]), (73, ["phone"]), (74, ["email"]), (75, ["registry_number"]), (76, ["grade"]),
        (77, ["owner"]), (78, ["company"]), (79, ["company", "email", "grade", "owner", "phone", "registry_number"])]
    assert report["errors"][6][1]["company"] == "at most 200 characters (this has 201)"
    assert report["errors"][5][1]["owner"] == "no active user “nobody_here”"

    before = load_workbook(io.BytesIO(info.get(f"/imports/{batch_id}/outcome.xlsx").data)).active
    assert [r[-2] for r in before.iter_rows(min_row=2, values_only=True)] == [status for _, status, _ in _rows()]

    decisions = {f"group:{key}": value for key, value in (
        ("registry:" + EXISTING["registry"], "update"), ("name:上海船舶重工", "update"),
        ("phone:+86 21 5555 0100", "skip"), ("email:buyer@haiyun.example.com", "create"),
        ("name:tripleworks", "skip"), ("phone:+86 755 2666 8888", "update"))}
    assert info.post(f"/imports/{batch_id}/run", data=decisions).status_code == 302
    settle_jobs()
    batch = batch_of(platform, batch_id)
    expected = [outcome for _, _, outcome in _rows()]
    assert (batch.status, batch.created_count, batch.updated_count, batch.skipped_count, batch.failed_count) == (
        "done", expected.count("created"), expected.count("updated"), expected.count("skipped"), 8)
    after = load_workbook(io.BytesIO(info.get(f"/imports/{batch_id}/outcome.xlsx").data)).active
    lines = list(after.iter_rows(min_row=2, values_only=True))
    assert [r[-2] for r in lines] == expected
    assert lines[80 - 2][-1] == f"updated existing record #{existing_id}"
    assert lines[82 - 2][-1] == f"skipped: duplicates existing record #{existing_id}"
    assert lines[85 - 2][-1] == "skipped: duplicates line 84"
    assert lines[88 - 2][-1] == "updated the record of line 87"
    with platform.sessions() as session:
        survivor = session.get(Customer, existing_id)
        assert (survivor.company, survivor.industry) == ("上海 船舶重工 公司", "Shipbuilding")  # line 81 after 80
        pair = session.scalars(select(Customer).where(Customer.phone == "+86 755 2666 8888")).all()
        assert [(c.company, c.industry) for c in pair] == [("Phone Pair Two", "Updated later")]
        assert session.scalar(select(func.count()).select_from(Customer)) == 1 + expected.count("created")

    assert info.post(f"/imports/{batch_id}/undo").status_code == 302
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 1
        survivor = session.get(Customer, existing_id)
        assert (survivor.company, survivor.registry_number, survivor.industry) == (
            EXISTING["company"], EXISTING["registry"], "Ships")
