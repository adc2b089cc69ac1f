"""Bad-debt provisions: a rate per age band (or days past due) applied to open amounts.

A month-end run rates every invoice open at the period end, compares each provision with the
previous run's, and splits a fall into what write-offs used up (utilised) and what is released.
`provision_run` is the rule; the set-wise SQL of services/closing/provisions.py is its fast
twin, checked against it on generated data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from domain.errors import DomainError

AGE = "AGE"  #: rate by days since issue
DPD = "DPD"  #: rate by days past due (IFRS 9 simplified approach)


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
        if self.basis not in (AGE, DPD):
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
    AGE,
    (
        ProvisionBand(0, Decimal("0.05")),
        ProvisionBand(365, Decimal("0.30")),
        ProvisionBand(730, Decimal("0.50")),
        ProvisionBand(1095, Decimal("1.00")),
    ),
)

#: Illustrative IFRS 9 simplified-approach matrix by days past due; calibrate to loss history.
DEFAULT_DPD_MATRIX = ProvisionMatrix(
    DPD,
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


def provision_days(basis: str, issue_date: date, due_date: date, as_of: date) -> int:
    """The days the matrix is read by: since issue (AGE) or past due (DPD)."""
    return (as_of - issue_date).days if basis == AGE else (as_of - due_date).days


def provision_rate(
    matrix: ProvisionMatrix, issue_date: date, due_date: date, as_of: date
) -> Decimal:
    """The rate that applies to an invoice on `as_of`."""
    return rate_for_days(matrix, provision_days(matrix.basis, issue_date, due_date, as_of))


def provision_amount(open_minor: int, rate: Decimal) -> int:
    """The provision in minor units, rounded half up (never above the open amount)."""
    return min(open_minor, int((Decimal(open_minor) * rate).to_integral_value(ROUND_HALF_UP)))


@dataclass(frozen=True)
class Movement:
    """How a provision moved since the previous run, in minor units (each zero or more)."""

    charge: int  #: increase, charged to profit and loss
    release: int  #: decrease released: paid, credited, or rated lower
    utilised: int  #: decrease used up by write-offs since the previous run


def movement(previous_minor: int, current_minor: int, written_off_minor: int = 0) -> Movement:
    """Charge when the provision grows; when it falls, what write-offs took (since the
    previous run) is utilised, at most the fall, and the rest is released."""
    if current_minor >= previous_minor:
        return Movement(current_minor - previous_minor, 0, 0)
    fall = previous_minor - current_minor
    used = min(written_off_minor, fall)
    return Movement(0, fall - used, used)


@dataclass(frozen=True)
class OpenItem:
    """An invoice as it stood at the period end: what was still open on it then."""

    invoice_id: UUID
    customer_id: UUID
    currency: str
    open_minor: int
    issue_date: date
    due_date: date


@dataclass(frozen=True)
class PreviousProvision:
    """One invoice's provision in the previous run."""

    invoice_id: UUID
    customer_id: UUID
    currency: str
    provision_minor: int


@dataclass(frozen=True)
class InvoiceProvision:
    """One invoice in a run: open amount, rate, provision now and at the previous run."""

    invoice_id: UUID
    open_minor: int
    rate: Decimal
    provision_minor: int
    previous_minor: int


@dataclass(frozen=True)
class ProvisionLine:
    """One customer's provision in one currency: sums of its invoices' lines."""

    customer_id: UUID
    currency: str
    open_minor: int
    provision_minor: int
    previous_minor: int
    charge_minor: int
    release_minor: int
    utilised_minor: int
    invoices: tuple[InvoiceProvision, ...]  #: ordered by invoice id


@dataclass(frozen=True)
class ProvisionTotals:
    """A run's sums in one currency."""

    currency: str
    open_minor: int = 0
    provision_minor: int = 0
    previous_minor: int = 0
    charge_minor: int = 0
    release_minor: int = 0
    utilised_minor: int = 0

    def plus(self, line: InvoiceProvision, moved: Movement) -> ProvisionTotals:
        """These totals with one more invoice's line and movement."""
        return ProvisionTotals(
            self.currency,
            self.open_minor + line.open_minor,
            self.provision_minor + line.provision_minor,
            self.previous_minor + line.previous_minor,
            self.charge_minor + moved.charge,
            self.release_minor + moved.release,
            self.utilised_minor + moved.utilised,
        )


@dataclass(frozen=True)
class Provisions:
    """A whole run: lines per customer and currency, totals per currency."""

    lines: tuple[ProvisionLine, ...]  #: ordered by customer and currency
    totals: tuple[ProvisionTotals, ...]  #: ordered by currency


def provision_run(
    items: Iterable[OpenItem],
    previous: Iterable[PreviousProvision],
    written_off: Mapping[UUID, int],
    matrix: ProvisionMatrix,
    period_end: date,
) -> Provisions:
    """The run for `period_end`: every item still open is rated by the matrix; an invoice
    provided for in the previous run but no longer open gets a zero line, so its fall shows.
    `written_off` is what write-offs took per invoice since the previous run's period end."""
    now = {i.invoice_id: i for i in items if i.open_minor > 0 and i.issue_date <= period_end}
    before = {p.invoice_id: p for p in previous}
    groups: dict[tuple[UUID, str], list[tuple[InvoiceProvision, Movement]]] = {}
    for invoice_id in now.keys() | before.keys():
        item, prior = now.get(invoice_id), before.get(invoice_id)
        if item is not None:
            key = (item.customer_id, item.currency)
            open_minor = item.open_minor
            rate = provision_rate(matrix, item.issue_date, item.due_date, period_end)
        else:
            assert prior is not None
            key = (prior.customer_id, prior.currency)
            open_minor, rate = 0, Decimal(0)
        line = InvoiceProvision(
            invoice_id,
            open_minor,
            rate,
            provision_amount(open_minor, rate),
            prior.provision_minor if prior else 0,
        )
        moved = movement(line.previous_minor, line.provision_minor, written_off.get(invoice_id, 0))
        groups.setdefault(key, []).append((line, moved))
    lines = []
    totals: dict[str, ProvisionTotals] = {}
    for (customer, currency), members in sorted(groups.items()):
        members.sort(key=lambda m: m[0].invoice_id)
        sums = ProvisionTotals(currency)
        for line, moved in members:
            sums = sums.plus(line, moved)
            totals[currency] = totals.get(currency, ProvisionTotals(currency)).plus(line, moved)
        lines.append(
            ProvisionLine(
                customer,
                currency,
                sums.open_minor,
                sums.provision_minor,
                sums.previous_minor,
                sums.charge_minor,
                sums.release_minor,
                sums.utilised_minor,
                tuple(line for line, _ in members),
            )
        )
    return Provisions(tuple(lines), tuple(t for _, t in sorted(totals.items())))
