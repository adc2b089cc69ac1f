"""Render documents to PDF with WeasyPrint: Jinja2 HTML, one CJK font family embedded.

WeasyPrint builds a font configuration (fontconfig, Pango's font map, loaded faces, shaping
caches) for every document unless given one, and parses every stylesheet anew; a statement
spent about a third of its time on those. Each rendering thread keeps one font configuration
and the shared stylesheets parsed (Pango's font maps are not to be shared between threads).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from documents.font_cache import dense_subsets
from documents.fonts import compact_fonts
from documents.formatting import FILTERS, GLOBALS, local_time
from documents.labels import labeller
from documents.models import CreditFileReport

TEMPLATES = Path(__file__).with_name("templates")


@cache
def _environment() -> jinja2.Environment:
    """One autoescaping environment: customer data may contain <, & and quotes."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env


@cache
def _css(name: str = "base.css") -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _css_string(text: str) -> str:
    """Escape text for a CSS string literal (the footer travels in a custom property)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return escaped.replace("<", "\\3C ").replace(">", "\\3E ")


class _Kit(threading.local):
    """What WeasyPrint would otherwise rebuild for every document, kept per thread."""

    def __init__(self) -> None:
        self.fonts = FontConfiguration()
        self.sheets: dict[str, CSS] = {}

    def sheet(self, name: str) -> CSS:
        """A stylesheet of the templates folder, parsed once."""
        if name not in self.sheets:
            self.sheets[name] = CSS(
                string=_css(name), base_url=str(TEMPLATES), font_config=self.fonts
            )
        return self.sheets[name]


_kit = _Kit()


def render_html_pdf(html: str, stylesheets: Sequence[str] = ()) -> bytes:
    """HTML to PDF bytes (fonts come from fontconfig: Noto Sans CJK SC, compacted). The named
    stylesheets apply below the document's own (as a user's stylesheet: its rules win)."""
    with dense_subsets():
        pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf(
            stylesheets=[_kit.sheet(name) for name in stylesheets],
            font_config=_kit.fonts,
            finisher=compact_fonts,
        )
    return pdf


def render_template_pdf(
    template: str, lang: str, footer: str, *, stylesheet: str | None = None, **context: Any
) -> bytes:
    """Render any document template with its labels, stylesheet and footer. The `stylesheet`
    (letter.css, base.css) is parsed once per thread; a template not yet given one inlines
    `css` or `letter_css` in its <style> (the same rules and pixels, parsed every time)."""
    labels = labeller(lang)
    html = (
        _environment()
        .get_template(template)
        .render(
            L=labels,
            lang=lang,
            css=_css(),
            letter_css=_css("letter.css"),
            footer=_css_string(footer),
            **context,
        )
    )
    return render_html_pdf(html, (stylesheet,) if stylesheet else ())


def render_credit_file_pdf(report: CreditFileReport, lang: str) -> bytes:
    """The credit-file report (客户信用档案 / Credit file) in zh-CN or en."""
    labels = labeller(lang)
    footer = (
        f"{report.tenant_name} · {labels['generated']} "
        f"{local_time(report.generated_at, report.time_zone)} · {report.generated_by}"
    )
    return render_template_pdf("credit_file.html", lang, footer, r=report)
