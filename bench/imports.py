"""Importing 100,000 customer rows on PostgreSQL through the import wizard's own jobs: a generated UTF-8 CSV
(Chinese company names, valid unified social credit codes, mobile numbers, e-mails, industry, region), the dry run
(``import_check``: every row checked by the customer form's rules, staged, duplicates searched) and the import
(``import_run`` steps, each one transaction, driven by the relay's tick as the scheduler would, without its
1 s pause). Prints rows/s per phase and the process's peak resident memory against its size before the run."""

from __future__ import annotations

import csv
import dataclasses
import random
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from stdnum.cn import uscc

from app import build_platform
from crm.customers.models import Customer
from crm.imports.models import ImportBatch
from services.imports import wizard

from .common import settings
from .search import CITIES, FORMS, WORDS

ROWS = 100_000
TARGET_SECONDS = 120
HEADERS = ("客户名称", "统一社会信用代码", "联系电话", "邮箱", "所属行业", "地区", "规模")
INDUSTRIES = ("船舶", "港口", "机械", "能源", "物流")
REGIONS = ("华东", "华南", "华北", "东北", "西南")


def _registry(index: int) -> str:
    body = f"913100{index:011d}"[:17]
    return body + uscc.calc_check_digit(body)


def write_csv(path: Path, rows: int, seed: int = 15) -> None:
    """A customer file of ``rows`` distinct companies (written as a stream)."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for i in range(rows):
            city, word, form = rnd.choice(CITIES), rnd.choice(WORDS), rnd.choice(FORMS)
            writer.writerow([f"{city}{word}{i:06d}{form}", _registry(i), f"138{i:08d}",
                             f"sales{i}@firm{i}.example.com", rnd.choice(INDUSTRIES), rnd.choice(REGIONS),
                             rnd.choice(("50-200", "200-1000", "1000+"))])


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _tick_while(platform, batch_id: int, status: str) -> None:
    """Tick the relay (the scheduler's work, without its pause) while the batch is in ``status``."""
    while True:
        platform.relay.tick()
        with platform.sessions() as session:
            if session.scalar(select(ImportBatch.status).where(ImportBatch.id == batch_id)) != status:
                return
        time.sleep(0.05)


def measure(database_url: str, rows: int = ROWS) -> dict:
    """Generate, dry-run and import ``rows`` customers; figures per phase."""
    folder = Path(tempfile.mkdtemp(prefix="crm-bench-import-"))
    source = folder / "customers.csv"
    write_csv(source, rows)
    # the scheduler's other periodic work (reports, data-quality runs) is left out of the measurement
    platform = build_platform(dataclasses.replace(settings(database_url), periodic_reports=False,
                                                  quality_checks=False))
    baseline = _rss_mb()
    with source.open("rb") as stream, platform.sessions() as session:
        batch = wizard.upload(session, folder, stream, source.name, "customers", "bench")
        assert not wizard.set_mapping(session, batch, batch.mapping, "bench"), batch.mapping
        began = time.perf_counter()
        wizard.start_check(session, folder, batch)
        session.commit()
        batch_id = batch.id
    _tick_while(platform, batch_id, "checking")  # as the scheduler does (the job is due a second after commit)
    checked = time.perf_counter()
    with platform.sessions() as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch.status == "checked" and batch.error_rows == 0, (batch.status, batch.problem, batch.error_rows)
        wizard.start_import(session, batch, {}, "bench")
        session.commit()
    _tick_while(platform, batch_id, "importing")
    done = time.perf_counter()
    with platform.sessions() as session:
        batch = session.get(ImportBatch, batch_id)
        imported = session.scalar(select(func.count()).select_from(Customer))
        created = batch.created_count
    platform.db.dispose()
    source.unlink()
    check_s, import_s = checked - began, done - checked
    return {"rows": rows, "created": created, "customers_in_db": imported, "check_s": round(check_s, 1),
            "import_s": round(import_s, 1), "total_s": round(check_s + import_s, 1),
            "check_rows_per_s": round(rows / check_s), "import_rows_per_s": round(rows / import_s),
            "rows_per_s": round(rows / (check_s + import_s)), "rss_before_mb": round(baseline, 1),
            "peak_rss_mb": round(_rss_mb(), 1), "target_s": TARGET_SECONDS}
