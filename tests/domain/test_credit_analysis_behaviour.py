"""Payment behaviour from ledger rows: worked examples and invariants."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.credit.behaviour import (
    LedgerAllocation,
    LedgerDispute,
    LedgerInvoice,
    LedgerPayment,
    LedgerPromise,
    Trend,
    ledger_facts,
    overall,
    summarise,
    window,
)

AS_OF = date(2026, 6, 30)


def inv(n: int, issued: date, days: int = 30, amount: int = 100_000, cur: str = "CNY"):
    return LedgerInvoice(f"i{n}", cur, amount, issued, issued + timedelta(days=days))


def alloc(n: int, invoice: int, on: date, amount: int = 100_000, kind: str = "PAYMENT", rev=None):
    return LedgerAllocation(f"a{n}", f"i{invoice}", kind, amount, on, rev)


def test_window_is_twelve_months_up_to_as_of():
    w = window(AS_OF)
    assert (w.start, w.middle, w.end) == (date(2025, 7, 1), date(2025, 12, 30), AS_OF)


def test_on_time_late_and_open_portions():
    # given: one invoice paid on time, one paid 10 days late, one still open 20 days past due
    invoices = [
        inv(1, date(2026, 1, 1)),
        inv(2, date(2026, 2, 1)),
        inv(3, date(2026, 5, 11)),  # due 2026-06-10, open at as_of: 20 days late
    ]
    allocations = [
        alloc(1, 1, date(2026, 1, 31)),
        alloc(2, 2, date(2026, 3, 13)),  # due 03-03, paid 10 days late
    ]
    # when
    facts = ledger_facts(invoices, allocations, [], [], [], AS_OF)["CNY"]
    b = summarise(facts)
    # then
    assert facts.judged_minor == 300_000
    assert b.on_time_ratio == Decimal("0.3333")
    assert b.weighted_days_late == Decimal("10.0")  # (0 + 10 + 20) / 3
    assert b.max_days_past_due == 20


def test_a_reversed_payment_did_not_pay():
    invoices = [inv(1, date(2026, 1, 1))]
    allocations = [
        alloc(1, 1, date(2026, 1, 20)),
        alloc(2, 1, date(2026, 2, 5), -100_000, rev="a1"),  # bounced cheque
        alloc(3, 1, date(2026, 3, 2)),  # paid again 30 days late
    ]
    payments = [LedgerPayment("CNY", 100_000, date(2026, 1, 20), date(2026, 2, 5))]
    facts = ledger_facts(invoices, allocations, [], [], payments, AS_OF)["CNY"]
    assert facts.on_time_minor == 0
    assert facts.late_weighted == 100_000 * 30
    assert facts.reversed_payments == 1
    assert facts.max_days_past_due == 30


def test_write_offs_are_never_on_time():
    invoices = [inv(1, date(2025, 8, 1), days=0)]
    allocations = [alloc(1, 1, date(2025, 8, 1), kind="WRITE_OFF")]
    b = summarise(ledger_facts(invoices, allocations, [], [], [], AS_OF)["CNY"])
    assert b.on_time_ratio == Decimal("0.0000")
    assert b.weighted_days_late == Decimal("1.0")


def test_days_to_pay_lengthening_and_promises_disputes():
    invoices = [inv(n, date(2025, 7, 1) + timedelta(days=30 * n)) for n in range(12)]
    allocations = [
        alloc(n, n, invoices[n].issue_date + timedelta(days=20 if n < 6 else 50)) for n in range(11)
    ]
    promises = [
        LedgerPromise("CNY", date(2026, 3, 1), "BROKEN"),
        LedgerPromise("CNY", date(2026, 4, 1), "KEPT"),
        LedgerPromise("CNY", date(2024, 4, 1), "BROKEN"),  # before the window
    ]
    disputes = [LedgerDispute("i3", 50_000, date(2025, 10, 15))]
    facts = ledger_facts(invoices, allocations, promises, disputes, [], AS_OF)
    b = summarise(facts["CNY"])
    assert b.trend == Trend.LENGTHENING
    assert b.days_to_pay_earlier is not None and b.days_to_pay_recent is not None
    assert b.days_to_pay_recent > b.days_to_pay_earlier
    assert b.broken_promises == 1
    assert b.disputed_share == Decimal("0.0417")  # 500.00 of 12 x 1,000.00 invoiced


def test_currencies_never_mix_and_overall_is_the_worst():
    invoices = [inv(1, date(2026, 1, 1)), inv(2, date(2026, 1, 1), cur="USD")]
    allocations = [alloc(1, 1, date(2026, 1, 31)), alloc(2, 2, date(2026, 4, 1))]
    facts = ledger_facts(invoices, allocations, [], [], [], AS_OF)
    per = [summarise(f) for f in facts.values()]
    total = overall(per)
    assert total is not None
    assert total.currencies == ("CNY", "USD")
    assert total.on_time_ratio == Decimal("0.0000")
    assert total.weighted_days_late == Decimal("60.0")
    assert overall([]) is None


def test_nothing_in_the_window_is_no_facts():
    old = [inv(1, date(2020, 1, 1))]
    assert ledger_facts(old, [alloc(1, 1, date(2020, 1, 15))], [], [], [], AS_OF) == {}


LEDGER = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=700),  # issued this many days before as_of
        st.integers(min_value=0, max_value=90),  # terms
        st.integers(min_value=1, max_value=10**7),  # amount
        st.lists(st.tuples(st.integers(0, 400), st.integers(1, 100), st.booleans()), max_size=3),
    ),
    max_size=12,
)


@given(LEDGER)
def test_ratios_stay_in_range(rows):
    invoices, allocations = [], []
    for n, (ago, terms, amount, pays) in enumerate(rows):
        issued = AS_OF - timedelta(days=ago)
        invoices.append(LedgerInvoice(f"i{n}", "CNY", amount, issued, issued + timedelta(terms)))
        left = amount
        for m, (after, percent, reverse) in enumerate(pays):
            part = min(left, max(1, amount * percent // 100))
            if left <= 0:
                break
            left -= part
            on = issued + timedelta(days=after)
            allocations.append(LedgerAllocation(f"a{n}.{m}", f"i{n}", "PAYMENT", part, on))
            if reverse:
                allocations.append(
                    LedgerAllocation(f"r{n}.{m}", f"i{n}", "PAYMENT", -part, on, f"a{n}.{m}")
                )
    for facts in ledger_facts(invoices, allocations, [], [], [], AS_OF).values():
        b = summarise(facts)
        assert facts.on_time_minor <= facts.judged_minor
        if b.on_time_ratio is not None:
            assert Decimal(0) <= b.on_time_ratio <= Decimal(1)
        assert b.max_days_past_due >= 0
        if b.weighted_days_late is not None:  # an average never exceeds the maximum
            assert Decimal(0) <= b.weighted_days_late <= b.max_days_past_due
