"""HTML to PDF with WeasyPrint, offline: nothing is fetched from outside the package.

Templates are Jinja2 files in ``reports/templates``; pictures and charts go in as ``data:``
URIs, and the stylesheet is read from the package. The URL fetcher refuses every other URL
(http, https, ftp, and files outside the templates folder) and makes any refusal fatal, so a
template that reached for the network would fail loudly in the tests instead of quietly
leaving a hole in a patient's report.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

TEMPLATES = Path(__file__).with_name("templates")


class RefusedURL(ValueError):
    """A document asked for something outside the package (never allowed: no network)."""


def allowed_url(url: str) -> bool:
    """True for ``data:`` URIs and ``file:`` URLs inside the templates folder."""
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return True
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parsed.path)).resolve()
    return path.is_relative_to(TEMPLATES.resolve())


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class PackageOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not allowed_url(url):
                raise RefusedURL(f"refused to load {url!r}: backcoach documents load nothing")
            return super().fetch(url, headers)

    return PackageOnlyFetcher(fail_on_errors=True)


def data_uri(content: bytes | str, mime: str) -> str:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


def render_html(template: str, **context: Any) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a missing value is a bug, not a blank in a report
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(template).render(**context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=_fetcher())
    pdf: bytes = document.write_pdf()
    return pdf
