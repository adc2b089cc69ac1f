"""CSV exports neutralise cells a spreadsheet would run as a formula (OWASP CSV injection)."""

from __future__ import annotations

from collections.abc import Iterable

#: What makes Excel, LibreOffice or Sheets read a cell as a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet shows but never evaluates: a leading apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def safe_row(cells: Iterable[str]) -> list[str]:
    """Every cell of an exported row neutralised."""
    return [neutralise(cell) for cell in cells]
