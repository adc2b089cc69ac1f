"""Provisions: the matrix, the amount, the movement and a whole run, worked and as invariants."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.provisions import (
    AGE,
    DEFAULT_AGE_MATRIX,
    DEFAULT_DPD_MATRIX,
    DPD,
    Movement,
    OpenItem,
    PreviousProvision,
    ProvisionBand,
    ProvisionMatrix,
    movement,
    provision_amount,
    provision_rate,
    provision_run,
    rate_for_days,
)

END = date(2026, 10, 31)
CUSTOMER, OTHER = UUID(int=1), UUID(int=2)


def item(n: int, age: int, open_minor: int = 100_000, **kw: object) -> OpenItem:
    """Invoice n, issued `age` days before the period end, due 30 days after issue."""
    issue = END - timedelta(days=age)
    values: dict[str, object] = {
        "invoice_id": UUID(int=100 + n),
        "customer_id": CUSTOMER,
        "currency": "CNY",
        "open_minor": open_minor,
        "issue_date": issue,
        "due_date": issue + timedelta(days=30),
        **kw,
    }
    return OpenItem(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("days", "rate"),
    [(0, "0.05"), (364, "0.05"), (365, "0.30"), (729, "0.30"), (730, "0.50"), (1095, "1.00")],
)
def test_practice_age_bands(days: int, rate: str) -> None:
    assert rate_for_days(DEFAULT_AGE_MATRIX, days) == Decimal(rate)


def test_dpd_matrix_reads_days_past_due_and_not_yet_due_gets_the_first_band() -> None:
    issue, due = date(2026, 1, 1), date(2026, 3, 1)
    assert provision_rate(DEFAULT_DPD_MATRIX, issue, due, date(2026, 2, 1)) == Decimal("0.01")
    assert provision_rate(DEFAULT_DPD_MATRIX, issue, due, date(2026, 3, 31)) == Decimal("0.03")
    assert provision_rate(DEFAULT_DPD_MATRIX, issue, due, date(2026, 4, 1)) == Decimal("0.10")


def test_below_the_first_band_nothing_is_provided() -> None:
    matrix = ProvisionMatrix(DPD, (ProvisionBand(31, Decimal("0.2")),))
    assert rate_for_days(matrix, 30) == 0


@pytest.mark.parametrize(
    ("basis", "bands", "field"),
    [
        ("AGED", ((0, "0.1"),), "basis"),
        (AGE, (), "bands"),
        (AGE, ((30, "0.1"), (0, "0.2")), "bands"),
        (AGE, ((0, "0.1"), (0, "0.2")), "bands"),
        (AGE, ((0, "0.5"), (30, "0.2")), "bands"),
        (AGE, ((0, "1.01"),), "bands"),
        (AGE, ((0, "-0.01"),), "bands"),
    ],
)
def test_matrix_refusals(basis: str, bands: tuple[tuple[int, str], ...], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        ProvisionMatrix(basis, tuple(ProvisionBand(d, Decimal(r)) for d, r in bands))
    assert (refused.value.code, refused.value.field) == ("INVALID_MATRIX", field)


def test_amount_rounds_half_up_and_never_exceeds_the_open_amount() -> None:
    assert provision_amount(10, Decimal("0.05")) == 1  # 0.5 rounds up
    assert provision_amount(9, Decimal("0.05")) == 0  # 0.45 rounds down
    assert provision_amount(12_345, Decimal(1)) == 12_345


def test_movement_charges_a_rise_and_splits_a_fall_into_utilised_and_released() -> None:
    assert movement(100, 150) == Movement(charge=50, release=0, utilised=0)
    assert movement(100, 100, written_off_minor=40) == Movement(0, 0, 0)
    assert movement(100, 30, written_off_minor=40) == Movement(0, 30, 40)
    assert movement(100, 0, written_off_minor=500) == Movement(0, 0, 100)  # at most the fall


def test_a_run_over_the_practice_matrix() -> None:
    # four invoices of 1,000.00 aged under 1 year, 1-2, 2-3 and over 3 years
    items = [item(1, 100), item(2, 400), item(3, 800), item(4, 1200)]
    run = provision_run(items, [], {}, DEFAULT_AGE_MATRIX, END)
    [line] = run.lines
    assert [i.provision_minor for i in line.invoices] == [5_000, 30_000, 50_000, 100_000]
    assert (line.provision_minor, line.charge_minor, line.previous_minor) == (185_000, 185_000, 0)
    assert run.totals[0].provision_minor == 185_000


def test_next_run_releases_what_was_paid_and_utilises_what_was_written_off() -> None:
    before = provision_run([item(1, 100), item(2, 1200)], [], {}, DEFAULT_AGE_MATRIX, END)
    previous = [
        PreviousProvision(i.invoice_id, line.customer_id, line.currency, i.provision_minor)
        for line in before.lines
        for i in line.invoices
    ]
    later = END + timedelta(days=30)
    # invoice 1 paid in full, invoice 2 written off in full: neither is open any more
    run = provision_run([], previous, {UUID(int=102): 100_000}, DEFAULT_AGE_MATRIX, later)
    [line] = run.lines
    assert [(i.open_minor, i.provision_minor, i.previous_minor) for i in line.invoices] == [
        (0, 0, 5_000),
        (0, 0, 100_000),
    ]
    assert (line.release_minor, line.utilised_minor, line.charge_minor) == (5_000, 100_000, 0)


def test_lines_per_customer_and_currency_and_totals_per_currency() -> None:
    items = [
        item(1, 100),
        item(2, 100, currency="USD"),
        item(3, 400, customer_id=OTHER),
        item(4, 10, open_minor=0),  # settled: no line
        item(5, -5),  # issued after the period end: no line
    ]
    run = provision_run(items, [], {}, DEFAULT_AGE_MATRIX, END)
    assert [(line.customer_id, line.currency) for line in run.lines] == [
        (CUSTOMER, "CNY"),
        (CUSTOMER, "USD"),
        (OTHER, "CNY"),
    ]
    assert [(t.currency, t.open_minor, t.provision_minor) for t in run.totals] == [
        ("CNY", 200_000, 35_000),
        ("USD", 100_000, 5_000),
    ]


# --- invariants -----------------------------------------------------------------------------

rates = st.decimals(min_value=0, max_value=1, places=4)


@st.composite
def matrices(draw: st.DrawFn) -> ProvisionMatrix:
    """Any valid matrix: ascending distinct starts, rates 0..1 that never fall."""
    starts = sorted(draw(st.sets(st.integers(-400, 2000), min_size=1, max_size=7)))
    band_rates = sorted(draw(st.lists(rates, min_size=len(starts), max_size=len(starts))))
    basis = draw(st.sampled_from([AGE, DPD]))
    return ProvisionMatrix(
        basis, tuple(ProvisionBand(d, r) for d, r in zip(starts, band_rates, strict=True))
    )


@given(matrices(), st.integers(-3000, 3000), st.integers(0, 3000), st.integers(0, 10**12))
def test_an_older_item_never_gets_a_lower_rate_or_amount(
    matrix: ProvisionMatrix, days: int, older_by: int, open_minor: int
) -> None:
    young, old = rate_for_days(matrix, days), rate_for_days(matrix, days + older_by)
    assert young <= old
    assert provision_amount(open_minor, young) <= provision_amount(open_minor, old)
    assert 0 <= provision_amount(open_minor, old) <= open_minor


@given(matrices(), st.integers(0, 2000), st.integers(0, 120), st.integers(0, 2000))
def test_an_invoice_only_ages_into_higher_rates(
    matrix: ProvisionMatrix, age: int, terms: int, later_by: int
) -> None:
    issue = END - timedelta(days=age)
    due = issue + timedelta(days=terms)
    as_of = END + timedelta(days=later_by)
    assert provision_rate(matrix, issue, due, END) <= provision_rate(matrix, issue, due, as_of)


@st.composite
def books(draw: st.DrawFn) -> tuple[list[OpenItem], list[PreviousProvision], dict[UUID, int]]:
    """Open items, a previous run over some of them (and over some now closed), write-offs."""
    count = draw(st.integers(0, 25))
    items, previous, written_off = [], [], {}
    for n in range(count):
        invoice = UUID(int=1000 + n)
        customer = UUID(int=draw(st.integers(1, 4)))
        currency = draw(st.sampled_from(["CNY", "USD"]))
        age = draw(st.integers(0, 1500))
        if draw(st.booleans()):
            issue = END - timedelta(days=age)
            items.append(
                OpenItem(
                    invoice,
                    customer,
                    currency,
                    draw(st.integers(0, 10**9)),
                    issue,
                    issue + timedelta(days=draw(st.integers(0, 90))),
                )
            )
        if draw(st.booleans()):
            previous.append(
                PreviousProvision(invoice, customer, currency, draw(st.integers(0, 10**9)))
            )
        if draw(st.booleans()):
            written_off[invoice] = draw(st.integers(0, 10**9))
    return items, previous, written_off


@given(books(), matrices())
def test_a_run_moves_exactly_from_the_previous_provision(
    book: tuple[list[OpenItem], list[PreviousProvision], dict[UUID, int]],
    matrix: ProvisionMatrix,
) -> None:
    items, previous, written_off = book
    run = provision_run(items, previous, written_off, matrix, END)
    for line in run.lines:
        assert line.provision_minor - line.previous_minor == (
            line.charge_minor - line.release_minor - line.utilised_minor
        )
        assert min(line.charge_minor, line.release_minor, line.utilised_minor) >= 0
        assert line.provision_minor <= line.open_minor
        assert line.open_minor == sum(i.open_minor for i in line.invoices)
        assert line.utilised_minor <= sum(written_off.get(i.invoice_id, 0) for i in line.invoices)
        assert [i.invoice_id for i in line.invoices] == sorted(i.invoice_id for i in line.invoices)
    for total in run.totals:
        mine = [line for line in run.lines if line.currency == total.currency]
        assert total.provision_minor == sum(line.provision_minor for line in mine)
        assert total.utilised_minor == sum(line.utilised_minor for line in mine)
    covered = {i.invoice_id for line in run.lines for i in line.invoices}
    assert covered == {i.invoice_id for i in items if i.open_minor > 0} | {
        p.invoice_id for p in previous
    }


@given(books(), matrices(), st.integers(1, 1500))
def test_a_run_at_a_later_date_provides_no_less_for_the_same_open_items(
    book: tuple[list[OpenItem], list[PreviousProvision], dict[UUID, int]],
    matrix: ProvisionMatrix,
    later_by: int,
) -> None:
    items = book[0]
    now = provision_run(items, [], {}, matrix, END)
    later = provision_run(items, [], {}, matrix, END + timedelta(days=later_by))
    provided = {i.invoice_id: i.provision_minor for line in now.lines for i in line.invoices}
    for line in later.lines:
        for i in line.invoices:
            assert i.provision_minor >= provided[i.invoice_id]
