"""Fonts of the PDF documents (contracts, quotes, reports): Chinese needs a CJK font on the server.

The documents ask for :data:`FONT_STACK` through the app's own WeasyPrint font configuration
(:func:`stylesheet`); Pango then takes every glyph from the first family that has it. The CJK families come
from the operating system: Debian's ``fonts-noto-cjk`` (``make run`` and ``.ci/run`` install it where missing).
Without one, Chinese prints as empty boxes: :func:`cjk_families` tells, and the application logs a warning at
start.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from typing import Any

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei")
"""Simplified-Chinese sans-serif families, most preferred first."""
FONT_STACK = ", ".join(f'"{family}"' for family in CJK_FAMILIES) + ', "DejaVu Sans", sans-serif'
DOCUMENT_CSS = f"body {{ font-family: {FONT_STACK}; }}"


@cache
def cjk_families() -> tuple[str, ...]:
    """The installed families of :data:`CJK_FAMILIES` (asks fontconfig once per process)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    listed = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    installed = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return tuple(family for family in CJK_FAMILIES if family in installed)


def stylesheet() -> tuple[Any, Any]:
    """(WeasyPrint ``CSS``, ``FontConfiguration``) giving documents :data:`FONT_STACK`; pass both to
    ``write_pdf(stylesheets=[css], font_config=config)``."""
    from weasyprint import CSS  # imported on use: loading it takes a while
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    return CSS(string=DOCUMENT_CSS, font_config=config), config
