"""Parse untrusted XML without entities, network access or unbounded size."""

from __future__ import annotations

from lxml import etree

from i18n import _

from .errors import DeploymentError

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
)


def parse_xml(content: bytes, filename: str, max_bytes: int) -> etree._Element:
    """Return the root of ``content`` or raise :class:`DeploymentError` naming file and line.

    Documents with a DOCTYPE are refused outright: BPMN and DMN never need one, and it is how
    external-entity (XXE) and entity-expansion attacks get in.
    """
    if len(content) > max_bytes:
        raise DeploymentError([{
            "file": filename,
            "message": _("file is %(size)s bytes; the limit is %(limit)s bytes", size=format(len(content), ","),
                         limit=format(max_bytes, ",")),
        }])
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DeploymentError([{
            "file": filename, "line": exc.lineno, "message": _("malformed XML: %(problem)s", problem=exc.msg),
        }]) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise DeploymentError([{
            "file": filename, "line": 1,
            "message": _("a DOCTYPE is not allowed (entities and external references are refused)"),
        }])
    return root
