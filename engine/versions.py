"""Deployed versions as the engine runs them: the newest of a process, and a version's specs loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from i18n import _

from .errors import NotFound
from .models import ProcessInstance, ProcessVersion
from .parser import TaskMeta, role_key
from .serializer import StateSerializer

_LATEST_VERSION = (
    select(ProcessVersion).where(ProcessVersion.process_key == bindparam("process_key"))
    .order_by(ProcessVersion.version.desc()).limit(1)
)
"""Built once: building costs more than running from SQLAlchemy's cache."""


def latest_version(session: Session, process_key: str) -> ProcessVersion:
    """The newest version of a process (its large columns not loaded), or :class:`NotFound`."""
    version = session.scalars(_LATEST_VERSION, {"process_key": process_key}).first()
    if version is None:
        raise NotFound(_("no process %(key)r is deployed", key=process_key))
    return version


@dataclass(frozen=True)
class LoadedVersion:
    """A version's deserialized specs and task metadata (a version never changes, so cached per process)."""

    version_id: int
    spec: Any
    subprocess_specs: dict
    tasks: dict[str, TaskMeta]
    start_role: str | None


class LoadedVersions:
    """Versions' specs deserialized once per process lifetime, keyed by version id."""

    def __init__(self, serializer: StateSerializer):
        self.serializer = serializer
        self._loaded: dict[int, LoadedVersion] = {}

    def load(self, version: ProcessVersion) -> LoadedVersion:
        """The version's specs and task metadata (its large columns are read only the first time)."""
        loaded = self._loaded.get(version.id)
        if loaded is None:
            spec, subprocess_specs = self.serializer.load_specs(version.spec_json)
            tasks = {k: TaskMeta(**v) for k, v in json.loads(version.task_meta).items()}
            loaded = LoadedVersion(version.id, spec, subprocess_specs, tasks, _start_role(spec, tasks))
            self._loaded[version.id] = loaded
        return loaded

    def of_instance(self, instance: ProcessInstance) -> LoadedVersion:
        """The instance's version, loaded; its row is read only when it is not cached yet."""
        return self._loaded.get(instance.version_id) or self.load(instance.version)


def _start_role(spec, tasks: dict[str, TaskMeta]) -> str | None:
    """The role of the lane the start event sits in, if the diagram has lanes (versions deployed before
    the start event had its own metadata: the key derived from the lane's name)."""
    start = spec.start.outputs[0] if spec.start.outputs else None
    if start is not None and start.name in tasks:
        return tasks[start.name].role
    lane = getattr(start, "lane", None)
    return role_key(lane) if lane else None
