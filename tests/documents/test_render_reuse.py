"""What the renderer keeps from one document to the next (the font configuration, the font
files and faces of documents.font_cache, parsed stylesheets) changes no byte of any document:
each is held against WeasyPrint doing everything afresh."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

from weasyprint import HTML

from documents.fonts import compact_fonts
from documents.render import TEMPLATES, render_html_pdf
from documents.statements import render_statement_pdf
from tests.documents.samples import statement

PAGE = (
    "<html lang='zh-CN'><head><style>html {{ font-family: 'Noto Sans CJK SC' }}</style></head>"
    "<body><h1>对账单 {n}</h1><p>截至2026年10月31日，贵司尚欠我司<b>¥{n},345.67</b>。</p>"
    "<p>Statement of account, 回执 {n}</p></body></html>"
)


def afresh(html: str) -> bytes:
    """WeasyPrint with a new font configuration, its own subset, then the compacting finisher."""
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf(finisher=compact_fonts)
    return pdf


def test_one_dense_subset_gives_the_bytes_of_subsetting_twice_and_compacting() -> None:
    for n in (1, 2, 3):  # the second and later documents reuse the fonts and faces
        html = PAGE.format(n=n)
        assert render_html_pdf(html) == afresh(html)


def test_documents_rendered_in_parallel_threads_are_the_same_bytes() -> None:
    pages = [PAGE.format(n=n) for n in range(8)]
    expected = [afresh(html) for html in pages]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(render_html_pdf, pages)) == expected


def test_outside_the_renderer_weasyprint_subsets_as_it_always_did() -> None:
    html = PAGE.format(n=1)
    render_html_pdf(html)
    plain: bytes = HTML(string=html).write_pdf()  # glyph ids kept: far larger than compacted
    assert len(plain) > 4 * len(render_html_pdf(html))


def test_a_statement_is_the_same_whatever_was_rendered_before() -> None:
    plain = dataclasses.replace(statement(), seal=None)
    first = render_statement_pdf(plain, "zh-CN")
    render_statement_pdf(statement(), "en")
    assert render_statement_pdf(plain, "zh-CN") == first
