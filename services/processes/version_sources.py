"""The files of a deployed version, as stored (text) or parsed: its own file and the files it depends on."""

from __future__ import annotations

import json
from collections.abc import Iterator

from lxml import etree

from engine.models import ProcessVersion
from engine.xml_safety import parse_xml

MAX_SOURCE_BYTES = 50 * 1024 * 1024
"""Size limit when a stored file is parsed again (it was checked on deployment)."""


def version_files(version: ProcessVersion) -> dict[str, str]:
    """A version's own file and the files it depends on (DMN, called processes), by name."""
    return {version.filename: version.source_xml, **json.loads(version.dependency_sources)}


def parsed_files(version: ProcessVersion) -> Iterator[etree._Element]:
    """The root element of each of :func:`version_files`, parsed with the XML safety limits."""
    for name, xml in version_files(version).items():
        yield parse_xml(xml.encode(), name, MAX_SOURCE_BYTES)
