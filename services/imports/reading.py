"""Reading an uploaded table row by row: XLSX with openpyxl (read-only, streamed), CSV with the csv module after
charset-normalizer has told UTF-8 from GBK/GB18030. Memory stays flat whatever the number of rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from charset_normalizer import from_bytes
from openpyxl import load_workbook

from i18n import _

SNIFF_BYTES = 256 * 1024
XLSX_MAGIC = b"PK\x03\x04"
CHINESE_FAMILY = ("gb2312", "gbk", "gb18030", "hz")


class UnreadableFile(ValueError):
    """The file is neither an XLSX workbook nor a CSV text in a known encoding."""


def is_xlsx(path: Path) -> bool:
    """Whether the file is a zip container (an XLSX workbook) rather than text."""
    with path.open("rb") as handle:
        return handle.read(4) == XLSX_MAGIC


def detect_encoding(head: bytes) -> str:
    """The encoding of a CSV's first bytes: ``utf-8`` (with or without BOM) or ``gb18030`` for the GB family."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # the sample ends inside a character
            return "utf-8"
    best = from_bytes(head).best()
    if best is None:
        raise UnreadableFile(_("The file is not text in a known encoding: save it as CSV (UTF-8 or GBK) or XLSX."))
    # GB18030 is a superset of GB2312 and GBK: reading with it never loses a character the others have
    return "gb18030" if best.encoding.lower() in CHINESE_FAMILY else best.encoding


def cell_text(value: object) -> str:
    """A cell as the text a form would have received (dates ISO, whole numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


@contextmanager
def open_table(path: Path) -> Iterator[tuple[str, Iterator[list[str]]]]:
    """``(encoding, rows)``: every row of the first sheet (or of the CSV) as a list of texts, header first.
    The encoding is ``xlsx`` for a workbook."""
    if is_xlsx(path):
        with path.open("rb") as handle:  # a handle: openpyxl judges a path by its extension, stored files have none
            try:
                workbook = load_workbook(handle, read_only=True, data_only=True)
            except Exception as exc:  # openpyxl raises many kinds for a damaged zip
                raise UnreadableFile(_("The workbook could not be read (%(problem)s).",
                                                       problem=exc.__class__.__name__)) from None
            try:
                sheet = workbook.worksheets[0]
                yield "xlsx", ([cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
            finally:
                workbook.close()
        return
    with path.open("rb") as raw:
        encoding = detect_encoding(raw.read(SNIFF_BYTES))
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        yield encoding, _csv_rows(text)


def _csv_rows(text: io.TextIOWrapper) -> Iterator[list[str]]:
    sample = text.read(8192)
    text.seek(0)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for row in csv.reader(text, dialect):
            yield [cell.strip() for cell in row]
    except UnicodeDecodeError:
        raise UnreadableFile(_("The file mixes encodings: save it again as CSV UTF-8 or as XLSX.")) from None


def data_rows(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """Rows with at least one non-empty cell."""
    return (row for row in rows if any(row))
