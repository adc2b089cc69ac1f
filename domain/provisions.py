"""Bad-debt provisions: a rate per age band (or days past due) applied to open amounts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.errors import DomainError


@dataclass(frozen=True)
class ProvisionBand:
    """From `min_days` on (age or days past due), this share of the open amount."""

    min_days: int
    rate: Decimal


@dataclass(frozen=True)
class ProvisionMatrix:
    """Bands on one basis: AGE (since issue) or DPD (days past due, IFRS 9 simplified)."""

    basis: str
    bands: tuple[ProvisionBand, ...]

    def __post_init__(self) -> None:
        if self.basis not in ("AGE", "DPD"):
            raise DomainError("INVALID_MATRIX", "basis is AGE or DPD", "basis")
        if not self.bands:
            raise DomainError("INVALID_MATRIX", "at least one band is needed", "bands")
        mins = [b.min_days for b in self.bands]
        if mins != sorted(set(mins)):
            raise DomainError("INVALID_MATRIX", "bands must ascend by days", "bands")
        rates = [b.rate for b in self.bands]
        if any(r < 0 or r > 1 for r in rates) or rates != sorted(rates):
            raise DomainError(
                "INVALID_MATRIX", "rates lie in 0..1 and never fall with age", "bands"
            )


#: Source practice: provide 5% under one year, 30% for 1-2 years, 50% for 2-3, 100% over 3.
DEFAULT_AGE_MATRIX = ProvisionMatrix(
    "AGE",
    (
        ProvisionBand(0, Decimal("0.05")),
        ProvisionBand(365, Decimal("0.30")),
        ProvisionBand(730, Decimal("0.50")),
        ProvisionBand(1095, Decimal("1.00")),
    ),
)

#: Illustrative IFRS 9 simplified-approach matrix by days past due; calibrate to loss history.
DEFAULT_DPD_MATRIX = ProvisionMatrix(
    "DPD",
    (
        ProvisionBand(-(10**6), Decimal("0.01")),
        ProvisionBand(1, Decimal("0.03")),
        ProvisionBand(31, Decimal("0.10")),
        ProvisionBand(61, Decimal("0.25")),
        ProvisionBand(91, Decimal("0.50")),
        ProvisionBand(181, Decimal("0.75")),
        ProvisionBand(366, Decimal("1.00")),
    ),
)


def rate_for_days(matrix: ProvisionMatrix, days: int) -> Decimal:
    """The rate of the last band starting on or before `days` (zero below the first)."""
    rate = Decimal(0)
    for band in matrix.bands:
        if days >= band.min_days:
            rate = band.rate
    return rate


def provision_rate(
    matrix: ProvisionMatrix, issue_date: date, due_date: date, as_of: date
) -> Decimal:
    """The rate that applies to an invoice on `as_of`."""
    days = (as_of - issue_date).days if matrix.basis == "AGE" else (as_of - due_date).days
    return rate_for_days(matrix, days)


def provision_amount(open_minor: int, rate: Decimal) -> int:
    """The provision in minor units, rounded half up (never above the open amount)."""
    return min(open_minor, int((Decimal(open_minor) * rate).to_integral_value(ROUND_HALF_UP)))


def movement(previous_minor: int, current_minor: int) -> tuple[str, int]:
    """Charge (provision up) or release (down) against the previous run."""
    if current_minor > previous_minor:
        return "CHARGE", current_minor - previous_minor
    if current_minor < previous_minor:
        return "RELEASE", previous_minor - current_minor
    return "NONE", 0


def parse_matrix(
    raw: Mapping[str, Any] | None, default: ProvisionMatrix = DEFAULT_AGE_MATRIX
) -> ProvisionMatrix:
    """A tenant's stored matrix ({basis, bands: [{minDays, rate}]}) or the default."""
    if not raw:
        return default
    bands = tuple(
        ProvisionBand(int(b["minDays"]), Decimal(str(b["rate"]))) for b in raw.get("bands", [])
    )
    return ProvisionMatrix(str(raw.get("basis", "AGE")), bands)
