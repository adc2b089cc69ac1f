"""Render documents to PDF with WeasyPrint: Jinja2 HTML, one CJK font family embedded."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from weasyprint import HTML

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


def render_html_pdf(html: str) -> bytes:
    """HTML to PDF bytes (fonts come from fontconfig: Noto Sans CJK SC, compacted)."""
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf(finisher=compact_fonts)
    return pdf


def render_template_pdf(template: str, lang: str, footer: str, **context: Any) -> bytes:
    """Render any document template with its labels, stylesheet and footer."""
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
    return render_html_pdf(html)


def render_credit_file_pdf(report: CreditFileReport, lang: str) -> bytes:
    """The credit-file report (客户信用档案 / Credit file) in zh-CN or en."""
    labels = labeller(lang)
    footer = (
        f"{report.tenant_name} · {labels['generated']} "
        f"{local_time(report.generated_at, report.time_zone)} · {report.generated_by}"
    )
    return render_template_pdf("credit_file.html", lang, footer, r=report)
