"""CSV exports: a cell that a spreadsheet would evaluate is exported as text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.csv_safety import FORMULA_STARTS, neutralise, safe_row


def test_every_dangerous_start_is_neutralised() -> None:
    for start in FORMULA_STARTS:
        cell = start + 'HYPERLINK("http://evil.example/x","click")'
        assert neutralise(cell) == "'" + cell
    assert safe_row(["=1+1", "ok", "@SUM(A1)", "-2"]) == ["'=1+1", "ok", "'@SUM(A1)", "'-2"]


@given(st.text())
def test_safe_cells_never_start_a_formula_and_keep_their_text(cell: str) -> None:
    out = neutralise(cell)
    assert not out.startswith(FORMULA_STARTS)
    assert out in (cell, "'" + cell)
