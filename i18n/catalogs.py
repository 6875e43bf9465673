"""The message catalogs: extract marked strings from the sources, update, complete, compile and check them.

One catalog per *area* (``accounts``, ``customers``, ``orders`` … as the web areas are cut, ``frontend`` for
the browser scripts, ``core`` for everything else) and language, so people working on different areas do not
edit the same file: ``i18n/catalogs/<area>/<locale>/LC_MESSAGES/messages.po`` (``zh_Hans_CN`` is the
directory of ``zh_CN``). An area's sources are ``web/<area>/``, ``web/templates/<area>/``, ``services/<area>/`` and
``crm/<area>/``; ``demo`` holds the demo data's texts. Flask-Babel merges the area catalogs
(see :func:`translation_directories`).

The source language is English, so the ``en`` catalogs are completed by copying each message
(``msgstr = msgid``); the ``zh_CN`` ones are translated by people. Command line (``make messages`` runs
``update``; ``make catalogs`` runs ``compile``)::

    python -m i18n.catalogs update            # extract + update every area's catalogs, compile
    python -m i18n.catalogs compile           # .po -> .mo where stale
    python -m i18n.catalogs check             # what is missing, stale or inconsistent (exit 1 if anything)
    python -m i18n.catalogs todo AREA         # the untranslated zh_CN messages of AREA as a JSON skeleton
    python -m i18n.catalogs fill AREA zh_CN translations.json   # merge {msgid: msgstr} into a catalog
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from . import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = Path(__file__).resolve().parent / "catalogs"
SOURCE_LANGUAGE = "en"
PYTHON_PACKAGES = ("engine", "crm", "services", "forms", "handlers", "web", "i18n", "demo")
SCRIPT_DIRS = ("web/frontend", "web/static/js")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "_lp": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}
JINJA_OPTIONS = {"trimmed": "true", "silent": "false"}
STABLE_DATE = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
"""Header dates are fixed so that updating a catalog changes it only when its messages change."""
CORE = "core"
FRONTEND = "frontend"
DEMO = "demo"


def web_areas() -> set[str]:
    """The areas: packages under ``web/`` (plus ``frontend`` and ``core``)."""
    return {p.name for p in (ROOT / "web").iterdir() if (p / "__init__.py").exists()} - {"cli"}


def area_of(path: PurePosixPath, areas: set[str]) -> str:
    """The catalog a source file's messages go to (``path`` relative to the repository)."""
    parts = path.parts
    if path.suffix == ".js":
        return FRONTEND
    if parts[0] == "demo":
        return DEMO
    if parts[:2] == ("web", "templates") and len(parts) > 3:
        candidate = parts[2]
    elif parts[0] in ("web", "services", "crm") and len(parts) > 2:
        candidate = parts[1]
    else:
        return CORE
    return candidate if candidate in areas else CORE


def _sources() -> Iterator[tuple[PurePosixPath, str]]:
    """(path relative to the root, extraction method) of every file that may hold marked strings."""
    for package in PYTHON_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "__pycache__" not in path.parts and path.name != "catalogs.py":
                yield PurePosixPath(path.relative_to(ROOT).as_posix()), "python"
    for path in sorted((ROOT / "web" / "templates").rglob("*.html")):
        yield PurePosixPath(path.relative_to(ROOT).as_posix()), "jinja2.ext:babel_extract"
    for directory in SCRIPT_DIRS:
        for path in sorted((ROOT / directory).glob("*.js")):
            yield PurePosixPath(path.relative_to(ROOT).as_posix()), "javascript"


def extract() -> dict[str, Catalog]:
    """Every marked message of the sources, as one template catalog per area."""
    areas = web_areas()
    templates: dict[str, Catalog] = {}
    for path, method in _sources():
        area = area_of(path, areas)
        options = JINJA_OPTIONS if method.startswith("jinja2") else None
        found = extract_from_file(method, str(ROOT / path), keywords=KEYWORDS, options=options)
        for lineno, message, comments, context in found:
            catalog = templates.setdefault(area, _new_catalog())
            catalog.add(message, locations=[(str(path), lineno)], auto_comments=comments, context=context)
    return templates


def _new_catalog(locale: str | None = None) -> Catalog:
    return Catalog(locale=locale, project="process-crm", version="1", fuzzy=False, creation_date=STABLE_DATE,
                   revision_date=STABLE_DATE, copyright_holder="the process-crm authors",
                   header_comment="# Translations of the process CRM (see i18n/catalogs.py).")


def po_path(area: str, locale: str) -> Path:
    """Where ``area``'s catalog of ``locale`` lives; the directory is Babel's full name of the locale
    (``zh_Hans_CN`` for ``zh_CN``), the name Flask-Babel looks for."""
    return CATALOGS / area / str(Locale.parse(locale)) / "LC_MESSAGES" / "messages.po"


def _read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return _new_catalog(locale)
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def _write(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` to ``path`` unless the file already says the same; whether it was written."""
    buffer = io.BytesIO()
    catalog.revision_date = STABLE_DATE
    write_po(buffer, catalog, include_lineno=False, width=0, sort_output=True, ignore_obsolete=True)
    if path.exists() and path.read_bytes() == buffer.getvalue():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return True


def _copy_source(message: Message) -> None:
    """The English catalog reads as the source: each message is its own translation."""
    if isinstance(message.id, tuple | list):
        if not any(message.string or ()):
            message.string = tuple(message.id)
    elif not message.string:
        message.string = message.id


def update() -> list[Path]:
    """Extract, then bring every area's catalog of every language up to date; the paths written."""
    written = []
    templates = extract()
    for area in sorted(set(templates) | _existing_areas()):
        template = templates.get(area, _new_catalog())
        for locale in LANGUAGES:
            path = po_path(area, locale)
            catalog = _read(path, locale)
            catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
            catalog.fuzzy = False
            if locale == SOURCE_LANGUAGE:
                for message in catalog:
                    if message.id:
                        _copy_source(message)
            if _write(path, catalog):
                written.append(path)
    compile_all()
    return written


def _existing_areas() -> set[str]:
    return {p.name for p in CATALOGS.iterdir() if p.is_dir()} if CATALOGS.exists() else set()


def compile_all(force: bool = False) -> list[Path]:
    """Write the ``.mo`` next to every ``.po`` that is newer than it; the paths written."""
    written = []
    for po in sorted(CATALOGS.glob("*/*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if force or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            catalog = _read(po, po.parent.parent.name)
            with open(mo, "wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            written.append(mo)
    return written


def stale_compiled() -> list[Path]:
    """The catalogs whose compiled ``.mo`` is missing or older than the ``.po``."""
    return [po for po in sorted(CATALOGS.glob("*/*/LC_MESSAGES/messages.po"))
            if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]


def translation_directories() -> list[str]:
    """Flask-Babel's translation directories: one per area."""
    return [str(p) for p in sorted(CATALOGS.iterdir()) if p.is_dir()] if CATALOGS.exists() else []


def frontend_messages(locale: str) -> dict[str, str]:
    """The browser scripts' messages in ``locale`` ({English: translation}), from the compiled catalog; a message
    with a context under ``context + "\\x04" + English``, gettext's own key (``pgettext`` in web/frontend/i18n.js)."""
    mo = po_path(FRONTEND, locale).with_suffix(".mo")
    if not mo.exists():
        return {}
    with open(mo, "rb") as handle:
        catalog = read_mo(handle)
    return {f"{m.context}\x04{m.id}" if m.context else m.id: m.string
            for m in catalog if m.id and isinstance(m.id, str) and m.string}


@dataclass(frozen=True)
class Problem:
    """Something wrong with a catalog: ``kind`` is stale, missing, untranslated, fuzzy, invalid or ambiguous."""

    area: str
    locale: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.area}/{self.locale}: {self.kind}: {self.message}"


def check() -> list[Problem]:
    """Every problem of the catalogs against the sources (empty when all is well)."""
    problems = []
    templates = extract()
    readings: dict[tuple[str, tuple], dict[str, object]] = {}
    for area in sorted(set(templates) | _existing_areas()):
        wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in templates.get(area, []) if m.id}
        for locale in LANGUAGES:
            catalog = _read(po_path(area, locale), locale)
            have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
            for key, message in have.items():
                readings.setdefault((locale, key), {})[area] = message.string
            problems += [Problem(area, locale, "missing", key[1]) for key in sorted(wanted - set(have), key=str)]
            problems += [Problem(area, locale, "stale", key[1]) for key in sorted(set(have) - wanted, key=str)]
            for key, message in have.items():
                strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
                if not all(strings):
                    problems.append(Problem(area, locale, "untranslated", key[1]))
                elif message.fuzzy:
                    problems.append(Problem(area, locale, "fuzzy", key[1]))
            for message, errors in catalog.check():
                problems += [Problem(area, locale, "invalid", f"{message.id!r}: {error}") for error in errors]
    return problems + _ambiguous(readings)


def _ambiguous(readings: dict[tuple[str, tuple], dict[str, object]]) -> list[Problem]:
    """Flask-Babel merges the areas' catalogs into one, so a message (with its context) translated differently in
    two areas reads as the last area's everywhere: give it one translation, or a context (``pgettext``/``_lp``)
    where the senses differ (``pgettext("week", "Next")``)."""
    problems = []
    for (locale, (context, message_id)), by_area in sorted(readings.items(), key=str):
        if len({str(text) for text in by_area.values() if text}) > 1:
            seen = ", ".join(f"{area}: {text}" for area, text in sorted(by_area.items()))
            where = f"{context} | {message_id}" if context else message_id
            problems.append(Problem(",".join(sorted(by_area)), locale, "ambiguous", f"{where} ({seen})"))
    return problems


def untranslated(area: str, locale: str = "zh_CN") -> dict[str, str]:
    """{msgid: ""} of the messages of ``area`` still without a ``locale`` translation (plural: the singular)."""
    catalog = _read(po_path(area, locale), locale)
    todo = {}
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.id and not all(strings):
            todo[message.id if isinstance(message.id, str) else message.id[0]] = ""
    return todo


def fill(area: str, locale: str, translations: dict[str, str | list[str]]) -> list[str]:
    """Merge ``translations`` into the catalog; the msgids it does not hold are returned (and not added).

    A plural message takes a list (one form per plural form of the language; Chinese has one).
    """
    path = po_path(area, locale)
    catalog = _read(path, locale)
    by_first = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    unknown = []
    for msgid, text in translations.items():
        message = by_first.get(msgid)
        if message is None:
            unknown.append(msgid)
        elif isinstance(message.id, tuple | list):
            forms = [text] if isinstance(text, str) else list(text)
            message.string = tuple(forms[: catalog.num_plurals] + forms[-1:] * (catalog.num_plurals - len(forms)))
        else:
            message.string = text if isinstance(text, str) else text[0]
        if message is not None:
            message.flags.discard("fuzzy")
    _write(path, catalog)
    compile_all()
    return unknown


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m i18n.catalogs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="extract and update every catalog, then compile")
    commands.add_parser("compile", help="compile stale catalogs")
    commands.add_parser("check", help="list the catalogs' problems")
    todo = commands.add_parser("todo", help="untranslated messages of an area as JSON")
    todo.add_argument("area")
    todo.add_argument("locale", nargs="?", default="zh_CN")
    filling = commands.add_parser("fill", help="merge a JSON {msgid: msgstr} into a catalog")
    filling.add_argument("area")
    filling.add_argument("locale")
    filling.add_argument("json_file", type=Path)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command == "update":
        for path in update():
            print(path.relative_to(ROOT))
    elif args.command == "compile":
        print(f"compiled {len(compile_all())} catalogs")
    elif args.command == "check":
        problems = check()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    elif args.command == "todo":
        print(json.dumps(untranslated(args.area, args.locale), ensure_ascii=False, indent=1))
    elif args.command == "fill":
        unknown = fill(args.area, args.locale, json.loads(args.json_file.read_text(encoding="utf-8")))
        for msgid in unknown:
            print(f"not in the catalog (run make messages first?): {msgid!r}", file=sys.stderr)
        return 1 if unknown else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
