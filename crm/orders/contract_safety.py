"""What a contract template may contain and fetch: an allow-list of layout HTML (nh3), and a WeasyPrint
``url_fetcher`` that reads nothing but the bundled assets, so a template can neither run script on the app's
origin nor make the server read its files (``file:``) or fetch URLs (``http:``, SSRF).

Templates are sanitised when saved (their Jinja tags kept) and the filled document again when rendered (a filter
such as ``|safe`` could otherwise let markup through)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nh3

ASSETS = Path(__file__).resolve().parent / "contract_assets"
"""Files a contract may show (``asset:logo.png``): fonts, the company logo."""
ASSET_SCHEME = "asset:"

TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "section", "header", "footer",
    "strong", "b", "em", "i", "u", "s", "small", "sub", "sup", "blockquote", "pre", "code",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "img",
})
"""Layout elements of a printed contract; no script, style sheet, link, form, frame or object."""
_COMMON = {"style", "class", "align", "title"}
ATTRIBUTES = {
    "*": _COMMON,
    "td": _COMMON | {"colspan", "rowspan", "valign", "width"},
    "th": _COMMON | {"colspan", "rowspan", "valign", "width", "scope"},
    "col": _COMMON | {"span", "width"},
    "table": _COMMON | {"width", "border", "cellpadding", "cellspacing"},
    "img": _COMMON | {"src", "alt", "width", "height"},
    "ol": _COMMON | {"start", "type"},
}
STYLE_PROPERTIES = frozenset({
    "font-family", "font-size", "font-weight", "font-style", "text-align", "text-decoration", "text-indent",
    "vertical-align", "line-height", "color", "background-color", "width", "height", "min-width", "max-width",
    "margin", "margin-top", "margin-bottom", "margin-left", "margin-right",
    "padding", "padding-top", "padding-bottom", "padding-left", "padding-right",
    "border", "border-top", "border-bottom", "border-left", "border-right", "border-collapse", "border-spacing",
    "border-color", "border-style", "border-width", "white-space",
    "page-break-before", "page-break-after", "page-break-inside", "break-before", "break-after", "break-inside",
})
"""Style properties kept in ``style`` attributes (none takes a URL)."""
URL_SCHEMES = frozenset({"data", "asset"})
"""Image sources a template may use besides ``asset:`` (an inline picture is read from the document itself)."""

_JINJA = re.compile(r"\{%.*?%\}|\{#.*?#\}|\{\{.*?\}\}", re.S)


def clean_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed (script and style content dropped entirely)."""
    return nh3.clean(html, tags=set(TAGS), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                     clean_content_tags={"script", "style"}, url_schemes=set(URL_SCHEMES),
                     filter_style_properties=set(STYLE_PROPERTIES), strip_comments=True, link_rel=None,
                     attribute_filter=_asset_sources)


def clean_template(source: str) -> str:
    """A template's source sanitised like :func:`clean_html`, its Jinja tags (``{% %}``, ``{{ }}``) kept as written.

    Each tag is swapped for a plain-letters token while the HTML is cleaned (an HTML parser would move text
    found between table rows, such as ``{% for %}``, out of the table), then put back."""
    tags: list[str] = []

    def hide(match: re.Match) -> str:
        tags.append(match.group(0))
        return f"<!--jinja{len(tags) - 1}-->" if match.group(0).startswith(("{%", "{#")) else f"jinja{len(tags) - 1}x"

    hidden = _JINJA.sub(hide, source)
    cleaned = nh3.clean(hidden, tags=set(TAGS), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                        clean_content_tags={"script", "style"}, url_schemes=set(URL_SCHEMES),
                        filter_style_properties=set(STYLE_PROPERTIES), strip_comments=False, link_rel=None,
                        attribute_filter=_asset_sources)
    cleaned = re.sub(r"<!--(?!jinja\d+-->).*?-->", "", cleaned, flags=re.S)
    def put_back(match: re.Match) -> str:
        index = int(match.group(1))
        return tags[index] if index < len(tags) else ""

    cleaned = re.sub(r"(?:<!--|&lt;!--)jinja(\d+)(?:-->|--&gt;)", put_back, cleaned)
    return re.sub(r"jinja(\d+)x", put_back, cleaned)


def _asset_sources(tag: str, attribute: str, value: str) -> str | None:
    """Keep ``img src`` only for bundled assets and inline data; every other attribute passes as nh3 allows."""
    if tag == "img" and attribute == "src":
        return value if value.startswith((ASSET_SCHEME, "data:image/")) or re.fullmatch(r"jinja\d+x", value) \
            else None
    return value


def allowed_asset(url: str) -> Path | None:
    """The bundled file ``asset:name`` names; None for an inline ``data:`` URL; ValueError for anything else."""
    if url.startswith(ASSET_SCHEME):
        name = url[len(ASSET_SCHEME):]
        path = (ASSETS / name).resolve()
        if name and path.parent == ASSETS and path.is_file():
            return path
    elif url.startswith("data:"):
        return None
    raise ValueError(f"contract documents may not load {url[:80]!r}")


def url_fetcher() -> Any:
    """WeasyPrint's fetcher for contract documents: bundled assets and ``data:`` URLs, nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # imported on use: loading it takes a while

    class AssetsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            asset = allowed_asset(url)
            if asset is None:
                return super().fetch(url, headers)
            return URLFetcherResponse(url, asset.read_bytes())

    return AssetsOnly(allowed_protocols={"data"}, allow_redirects=False)
