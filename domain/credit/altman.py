"""Altman Z'' (the non-manufacturer, emerging-market form), kept with the inputs it used.

Z'' = 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4 with X1 = working capital / total assets,
X2 = retained earnings / total assets, X3 = EBIT / total assets, X4 = book equity / total
liabilities. The score is computed from the exact fractions and rounded once at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from domain.credit.financials import Line, Statement
from domain.credit.ratios import annualise

#: Altman (1995), the Z'' model for non-manufacturers and emerging markets.
COEFFICIENTS = (Decimal("6.56"), Decimal("3.26"), Decimal("6.72"), Decimal("1.05"))
SAFE_ABOVE = Decimal("2.60")  #: Altman's zones: safe above 2.60 ...
DISTRESS_BELOW = Decimal("1.10")  #: ... distress below 1.10, grey in between
Z_PLACES = Decimal("0.0001")
X_PLACES = Decimal("0.000001")


class Zone(StrEnum):
    """Altman's reading of the score."""

    SAFE = "SAFE"
    GREY = "GREY"
    DISTRESS = "DISTRESS"


@dataclass(frozen=True)
class AltmanZ:
    """The score and zone (None with a reason when an input is missing), and its inputs:
    the lines in minor units and the four ratios."""

    score: Decimal | None
    zone: Zone | None
    reason: str | None
    lines: dict[str, int | None]
    x: tuple[Decimal, Decimal, Decimal, Decimal] | None
    annualised_by: Decimal


def zone_of(score: Decimal) -> Zone:
    """Safe above 2.60, distress below 1.10, grey from 1.10 to 2.60 inclusive."""
    if score > SAFE_ABOVE:
        return Zone.SAFE
    if score < DISTRESS_BELOW:
        return Zone.DISTRESS
    return Zone.GREY


def altman_z(stmt: Statement) -> AltmanZ:
    """Z'' of a statement; EBIT of an interim period is annualised like the ratios."""
    year = annualise(stmt)
    lines = {
        "CURRENT_ASSETS": stmt.get(Line.CURRENT_ASSETS),
        "CURRENT_LIABILITIES": stmt.get(Line.CURRENT_LIABILITIES),
        "TOTAL_ASSETS": stmt.get(Line.TOTAL_ASSETS),
        "RETAINED_EARNINGS": stmt.get(Line.RETAINED_EARNINGS),
        "EBIT": stmt.ebit,
        "EQUITY": stmt.get(Line.EQUITY),
        "TOTAL_LIABILITIES": stmt.get(Line.TOTAL_LIABILITIES),
    }
    missing = [k for k, v in lines.items() if v is None]
    if missing:
        return AltmanZ(None, None, "MISSING_LINE:" + ",".join(missing), lines, None, year)
    values = {k: Decimal(v) for k, v in lines.items() if v is not None}
    for denominator in ("TOTAL_ASSETS", "TOTAL_LIABILITIES"):
        if values[denominator] == 0:
            return AltmanZ(None, None, f"ZERO:{denominator}", lines, None, year)
    assets = values["TOTAL_ASSETS"]
    x = (
        (values["CURRENT_ASSETS"] - values["CURRENT_LIABILITIES"]) / assets,
        values["RETAINED_EARNINGS"] / assets,
        values["EBIT"] * year / assets,
        values["EQUITY"] / values["TOTAL_LIABILITIES"],
    )
    score = sum((c * xi for c, xi in zip(COEFFICIENTS, x, strict=True)), Decimal(0))
    rounded = score.quantize(Z_PLACES, rounding=ROUND_HALF_EVEN)
    shown = (
        x[0].quantize(X_PLACES, rounding=ROUND_HALF_EVEN),
        x[1].quantize(X_PLACES, rounding=ROUND_HALF_EVEN),
        x[2].quantize(X_PLACES, rounding=ROUND_HALF_EVEN),
        x[3].quantize(X_PLACES, rounding=ROUND_HALF_EVEN),
    )
    return AltmanZ(rounded, zone_of(rounded), None, lines, shown, year)
