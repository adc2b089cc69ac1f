"""One page of each document, rendered and held against a committed reference image.

A layout regression (a block moved, a column lost, a seal gone) changes far more pixels than
anti-aliasing differences between library builds do, so the comparison allows a grey-level
tolerance per pixel and a small share of differing pixels. To accept an intended change,
regenerate the references (see tests/documents/references/README.md):

    UPDATE_REFERENCES=1 .venv/bin/python -m pytest -q tests/documents/test_reference_images.py
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter

from documents.credit_letters import render_agreement_pdf, render_decision_pdf
from documents.dunning import render_dunning_pdf
from documents.guarantee_demand import render_demand_pdf
from documents.render import render_credit_file_pdf
from documents.risk_transfer import render_risk_pdf
from documents.statements import render_statement_pdf
from tests.documents.pdf_tools import difference, render_page
from tests.documents.risk_samples import (
    RISK_HEAD,
    agreement,
    assignment_notice,
    claim_pack,
    decision,
    demand,
    overdue_notification,
)
from tests.documents.samples import letter, statement
from tests.documents.test_credit_file_pdf import report

REFERENCES = Path(__file__).with_name("references")
DPI = 60
PIXEL_TOLERANCE = 64  #: grey levels (of 255) a pixel may move before it counts as different
MAX_SHARE = 0.0025  #: share of differing pixels a page may have (about 870 of 350,000)

DOCUMENTS: dict[str, Callable[[], bytes]] = {
    **{
        f"{kind.lower()}-{lang}": (
            lambda kind=kind, lang=lang: render_dunning_pdf(letter(kind), lang)
        )
        for kind in ("REMINDER", "DEMAND", "LAWYER")
        for lang in ("zh-CN", "en")
    },
    "statement-zh-CN": lambda: render_statement_pdf(statement(), "zh-CN"),
    "statement-en": lambda: render_statement_pdf(statement(), "en"),
    "credit-file-zh-CN": lambda: render_credit_file_pdf(report(), "zh-CN"),
    "credit-file-en": lambda: render_credit_file_pdf(report(), "en"),
    **{
        f"{name}-{lang}": (
            lambda kind=kind, content=content, lang=lang: render_risk_pdf(
                kind, content(), RISK_HEAD, lang
            )
        )
        for name, kind, content in (
            ("overdue-notification", "OVERDUE_NOTIFICATION", overdue_notification),
            ("claim-pack", "CLAIM_PACK", claim_pack),
            ("assignment-notice", "ASSIGNMENT_NOTICE", assignment_notice),
        )
        for lang in ("zh-CN", "en")
    },
    **{
        f"{name}-{lang}": (lambda render=render, lang=lang: render(lang))
        for name, render in (
            ("guarantee-demand", lambda lang: render_demand_pdf(demand(), lang)),
            ("credit-agreement", lambda lang: render_agreement_pdf(agreement(), lang)),
            ("credit-decision", lambda lang: render_decision_pdf(decision(), lang)),
        )
        for lang in ("zh-CN", "en")
    },
}


def matches(actual: Image.Image, reference: Image.Image) -> float:
    """The share of pixels that differ beyond the tolerance (1.0 when sizes differ)."""
    if actual.size != reference.size:
        return 1.0
    return difference(actual, reference, PIXEL_TOLERANCE)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_page_one_looks_like_its_reference(name: str) -> None:
    actual = render_page(DOCUMENTS[name](), 1, DPI)
    path = REFERENCES / f"{name}.png"
    if os.environ.get("UPDATE_REFERENCES"):
        REFERENCES.mkdir(exist_ok=True)
        # 16 grey levels (4 bits a pixel) keep the files small, well inside the tolerance
        actual.point(lambda v: round(v / 17) * 17).save(path, optimize=True, bits=4)
        pytest.skip(f"reference {path.name} written")
    assert path.exists(), f"no reference for {name}: run with UPDATE_REFERENCES=1"
    share = matches(actual, Image.open(path).convert("L"))
    if share > MAX_SHARE:
        out = Path(tempfile.gettempdir()) / f"reference-{name}"
        actual.save(f"{out}-actual.png")
        ImageChops.difference(actual, Image.open(path).convert("L")).save(f"{out}-diff.png")
        pytest.fail(f"{name}: {share:.2%} of pixels differ (at most {MAX_SHARE:.2%}); see {out}-*")


def test_the_comparison_forgives_anti_aliasing_but_not_a_moved_line() -> None:
    page = Image.open(REFERENCES / "reminder-zh-CN.png").convert("L")
    softened = page.filter(ImageFilter.GaussianBlur(0.4))  # another rasteriser's edges
    moved = ImageChops.offset(page, 0, 2)  # everything two pixels (under 1 mm) lower
    assert matches(softened, page) <= MAX_SHARE
    assert matches(moved, page) > 10 * MAX_SHARE
