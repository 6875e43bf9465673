"""Deploy BPMN/DMN files as process versions: identical content is a no-op, a change is version n+1."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import decisions
from .errors import DeploymentError
from .models import DecisionVersion, ProcessVersion
from .parser import NS, ParsedBundle, ParsedProcess, parse_bundle
from .serializer import StateSerializer
from .xml_safety import parse_xml

Check = Callable[[ParsedBundle, dict[str, bytes]], list[dict]]
"""A platform rule run before deploying: returns problems (file, line, element, message)."""


@dataclass
class DeployResult:
    """A process version, or a decision table version (a new one only), that a deploy made or found unchanged."""

    version: ProcessVersion | DecisionVersion
    created: bool


def latest_versions(session: Session) -> dict[str, ProcessVersion]:
    """The newest version of every process, by key."""
    newest = (
        select(ProcessVersion.process_key, func.max(ProcessVersion.version).label("v"))
        .group_by(ProcessVersion.process_key).subquery()
    )
    rows = session.scalars(
        select(ProcessVersion).join(
            newest,
            (ProcessVersion.process_key == newest.c.process_key) & (ProcessVersion.version == newest.c.v),
        )
    )
    return {v.process_key: v for v in rows}


def process_names(session: Session) -> list[tuple[str, str]]:
    """(key, name) of every deployed process, by name of its newest version, without loading sources."""
    newest = (
        select(ProcessVersion.process_key, func.max(ProcessVersion.version).label("v"))
        .group_by(ProcessVersion.process_key).subquery()
    )
    rows = session.execute(
        select(ProcessVersion.process_key, ProcessVersion.name).join(
            newest,
            (ProcessVersion.process_key == newest.c.process_key) & (ProcessVersion.version == newest.c.v),
        ).order_by(ProcessVersion.name)
    )
    return [(key, name) for key, name in rows]


def library_files(session: Session) -> dict[str, bytes]:
    """Source files of every process's newest version (and what they depend on)."""
    files: dict[str, bytes] = {}
    for version in latest_versions(session).values():
        files.setdefault(version.filename, version.source_xml.encode())
        for name, xml in json.loads(version.dependency_sources).items():
            files.setdefault(name, xml.encode())
    return files


def validate_files(
    session: Session, files: dict[str, bytes], max_bytes: int, checks: Iterable[Check] = ()
) -> tuple[ParsedBundle, dict[str, bytes]]:
    """Parse ``files`` together with the deployed library and run every check; raise on problems."""
    bundle_files = _with_library(session, files, max_bytes)
    problems = decisions.deploy_problems(files, max_bytes)
    if problems:
        raise DeploymentError(problems)
    bundle = parse_bundle(bundle_files, max_bytes)
    problems = [p for check in checks for p in check(bundle, files)]
    if problems:
        raise DeploymentError(problems)
    return bundle, bundle_files


def deploy(
    session: Session,
    serializer: StateSerializer,
    files: dict[str, bytes],
    user: str,
    max_bytes: int,
    checks: Iterable[Check] = (),
    comment: str = "",
) -> list[DeployResult]:
    """Deploy ``files`` (name -> bytes). Every process they define or feed gets a version if it changed, and so
    does every decision of a changed DMN file (:mod:`engine.decisions`)."""
    bundle, bundle_files = validate_files(session, files, max_bytes, checks)
    results = [DeployResult(v, created=True) for v in decisions.record_versions(session, files, user, comment,
                                                                                max_bytes)]
    latest = latest_versions(session)
    for process in bundle.processes.values():
        touched = process.filename in files or process.dependencies & set(files)
        if not touched:
            continue
        spec_json = serializer.dump_specs(process.spec, process.subprocess_specs)
        meta_json = json.dumps({k: m.to_json() for k, m in process.tasks.items()}, sort_keys=True)
        sources = [bundle_files[process.filename]] + [bundle_files[n] for n in sorted(process.dependencies)]
        content_hash = hashlib.sha256((spec_json + meta_json).encode() + b"".join(sources)).hexdigest()
        current = latest.get(process.key)
        if current is not None and current.content_hash == content_hash:
            results.append(DeployResult(current, created=False))
            continue
        version = _new_version(process, bundle_files, spec_json, meta_json, content_hash, user, comment)
        version.version = (current.version if current else 0) + 1
        session.add(version)
        results.append(DeployResult(version, created=True))
    session.flush()
    return results


def _new_version(process: ParsedProcess, files, spec_json, meta_json, content_hash, user, comment):
    dependencies = {name: files[name].decode() for name in sorted(process.dependencies)}
    return ProcessVersion(
        process_key=process.key, name=process.name, content_hash=content_hash,
        filename=process.filename, source_xml=files[process.filename].decode(),
        dependency_sources=json.dumps(dependencies), spec_json=spec_json, task_meta=meta_json,
        deployed_by=user, comment=comment,
    )


def _with_library(session: Session, files: dict[str, bytes], max_bytes: int) -> dict[str, bytes]:
    """Uploaded files plus the deployed library, minus library files the upload replaces."""
    uploaded_keys: set[str] = set()
    for name, content in files.items():
        try:
            root = parse_xml(content, name, max_bytes)
        except DeploymentError:
            continue  # reported by parse_bundle with the others
        uploaded_keys |= {p.get("id") for p in root.iterfind("bpmn:process", NS)}
    merged = dict(files)
    for name, content in library_files(session).items():
        if name in merged:
            continue
        root = parse_xml(content, name, max_bytes)
        if uploaded_keys & {p.get("id") for p in root.iterfind("bpmn:process", NS)}:
            continue
        merged[name] = content
    return merged
