"""Allocation rules: oldest due first, explicit lines, never beyond an invoice or a payment."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.allocation import (
    Receivable,
    Target,
    allocate_batch_oldest_first,
    allocate_named_first,
    allocate_oldest_first,
    check_explicit,
    parse_lines,
)
from domain.errors import ValidationFailed

DAY = date(2026, 1, 1)
CUSTOMER = UUID(int=1)
OTHER = UUID(int=2)

ids = st.integers(min_value=1, max_value=2**64).map(lambda n: UUID(int=n))
receivables = st.lists(
    st.builds(
        Receivable,
        id=ids,
        due_date=st.integers(0, 60).map(lambda d: DAY + timedelta(days=d)),
        issue_date=st.integers(0, 60).map(lambda d: DAY - timedelta(days=d)),
        open_minor=st.integers(0, 10_000),
    ),
    max_size=12,
    unique_by=lambda r: r.id,
)


def _order(item: Receivable) -> tuple[date, date, UUID]:
    return (item.due_date, item.issue_date, item.id)


@given(amount=st.integers(0, 50_000), items=receivables)
def test_oldest_first_never_exceeds_an_item_nor_the_cash(amount, items):
    plan = allocate_oldest_first(amount, items)
    by_id = {i.id: i for i in items}
    assert all(0 < take <= by_id[i].open_minor for i, take in plan)
    assert len({i for i, _ in plan}) == len(plan)
    assert sum(take for _, take in plan) == min(amount, sum(i.open_minor for i in items))


@given(amount=st.integers(0, 50_000), items=receivables)
def test_oldest_first_pays_an_item_only_once_every_older_one_is_settled(amount, items):
    plan = dict(allocate_oldest_first(amount, items))
    ordered = sorted((i for i in items if i.open_minor > 0), key=_order)
    paid = [plan.get(i.id, 0) for i in ordered]
    # the plan is a prefix in due order: full items, then at most one partial, then nothing
    for n, item in enumerate(ordered):
        if any(paid[n + 1 :]):
            assert paid[n] == item.open_minor
    assert list(plan) == [i.id for i in ordered if plan.get(i.id)]


def test_ties_on_due_date_go_to_the_earlier_issue_then_the_lower_id():
    a = Receivable(UUID(int=9), DAY, DAY - timedelta(days=5), 100)
    b = Receivable(UUID(int=3), DAY, DAY - timedelta(days=1), 100)
    c = Receivable(UUID(int=2), DAY, DAY - timedelta(days=1), 100)
    assert allocate_oldest_first(250, [b, a, c]) == [(a.id, 100), (c.id, 100), (b.id, 50)]


def test_parse_lines_reports_every_bad_line_at_its_input_path():
    first, second = uuid.uuid4(), uuid.uuid4()
    assert parse_lines([(first, "10.50"), (second, "1")], "CNY") == [(first, 1050), (second, 100)]
    with pytest.raises(ValidationFailed) as refused:
        parse_lines([(first, "0"), (second, "1.234"), (first, "abc")], "CNY")
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("AMOUNT_NOT_POSITIVE", "lines.0.amount"),
        ("INVALID_AMOUNT", "lines.1.amount"),
        ("INVALID_AMOUNT", "lines.2.amount"),
    ]


def _refusals(wanted, targets, available):  # type: ignore[no-untyped-def]
    try:
        check_explicit(wanted, targets, CUSTOMER, "CNY", available)
    except ValidationFailed as exc:
        return [(e.code, e.field) for e in exc.errors]
    return []


def test_explicit_lines_are_refused_for_what_they_break():
    mine = Target(UUID(int=10), CUSTOMER, "CNY", 100)
    dollars = Target(UUID(int=11), CUSTOMER, "USD", 100)
    theirs = Target(UUID(int=12), OTHER, "CNY", 100)
    targets = {t.id: t for t in (mine, dollars, theirs)}
    unknown = UUID(int=13)
    assert _refusals([(mine.id, 60), (mine.id, 40)], targets, 100) == []
    assert _refusals([(mine.id, 60), (mine.id, 41)], targets, 200) == [
        ("EXCEEDS_OPEN_AMOUNT", "lines.1.amount")
    ]
    assert _refusals([(dollars.id, 1), (theirs.id, 1), (unknown, 1)], targets, 100) == [
        ("CURRENCY_MISMATCH", "lines.0.invoiceId"),
        ("NOT_FOUND", "lines.1.invoiceId"),
        ("NOT_FOUND", "lines.2.invoiceId"),
    ]
    assert _refusals([(mine.id, 60)], targets, 59) == [("EXCEEDS_PAYMENT", "lines")]


lines = st.lists(
    st.tuples(st.sampled_from([UUID(int=n) for n in range(1, 6)]), st.integers(1, 3_000)),
    max_size=8,
)
targets = st.dictionaries(
    st.sampled_from([UUID(int=n) for n in range(1, 5)]),
    st.tuples(
        st.sampled_from([CUSTOMER, OTHER]), st.sampled_from(["CNY", "USD"]), st.integers(0, 5_000)
    ),
).map(lambda d: {i: Target(i, c, cur, o) for i, (c, cur, o) in d.items()})


@given(wanted=lines, found=targets, available=st.integers(0, 10_000))
def test_accepted_lines_never_exceed_an_invoice_nor_the_payment(wanted, found, available):
    try:
        accepted = check_explicit(wanted, found, CUSTOMER, "CNY", available)
    except ValidationFailed:
        return
    per_invoice: dict[UUID, int] = defaultdict(int)
    for invoice_id, amount in accepted:
        target = found[invoice_id]
        assert (target.customer_id, target.currency) == (CUSTOMER, "CNY")
        per_invoice[invoice_id] += amount
    assert all(total <= found[i].open_minor for i, total in per_invoice.items())
    assert sum(a for _, a in accepted) <= available
    assert accepted == wanted


@given(wanted=lines, found=targets, available=st.integers(0, 10_000))
def test_lines_within_every_limit_are_accepted(wanted, found, available):
    per_invoice: dict[UUID, int] = defaultdict(int)
    for invoice_id, amount in wanted:
        per_invoice[invoice_id] += amount
    fits = sum(a for _, a in wanted) <= available and all(
        i in found
        and (found[i].customer_id, found[i].currency) == (CUSTOMER, "CNY")
        and total <= found[i].open_minor
        for i, total in per_invoice.items()
    )
    assert (_refusals(wanted, found, available) == []) == fits


@given(
    amounts=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(1, 20_000))),
    items=receivables,
)
def test_a_batch_takes_each_key_oldest_first_as_one_payment_of_its_sum(amounts, items):
    # given open items split between two keys (the third has none) and a batch of payments
    by_key = {"a": items[::2], "b": items[1::2]}
    payments = [(UUID(int=n + 1), key, amount) for n, (key, amount) in enumerate(amounts)]
    lines = allocate_batch_oldest_first(payments, by_key)
    # then per key it is the rule for one payment of the batch's total, split in batch order
    for key, found in by_key.items():
        total = sum(a for k, a in amounts if k == key)
        per_item: dict[UUID, int] = defaultdict(int)
        for pid, invoice_id, part in lines:
            if payments[pid.int - 1][1] == key:
                per_item[invoice_id] += part
        assert dict(per_item) == dict(allocate_oldest_first(total, found))
    # and no payment gives more than it has, none gives to another key's items
    given_by: dict[UUID, int] = defaultdict(int)
    for pid, invoice_id, part in lines:
        given_by[pid] += part
        assert invoice_id in {i.id for i in by_key.get(payments[pid.int - 1][1], [])}
    assert all(given_by[pid] <= amount for pid, _, amount in payments)


@given(
    st.lists(st.tuples(st.sampled_from([None, 0, 1, 2]), st.integers(1, 10_000)), max_size=12),
    st.lists(st.integers(0, 10_000), min_size=3, max_size=3),
)
def test_named_first_never_takes_more_than_is_open_or_paid(rows, opens):
    invoices = [UUID(int=i + 1) for i in range(3)]
    payments = [
        (UUID(int=1000 + n), invoices[t] if t is not None else None, amount)
        for n, (t, amount) in enumerate(rows)
    ]
    open_minor = dict(zip(invoices, opens, strict=True))
    lines, left = allocate_named_first(payments, open_minor)
    for invoice in invoices:
        assert sum(a for _, i, a in lines if i == invoice) <= open_minor[invoice]
    for payment_id, named, amount in payments:
        taken = sum(a for p, _, a in lines if p == payment_id)
        assert taken + left[payment_id] == amount and taken >= 0
        if named is None:
            assert taken == 0
    assert all(a > 0 for _, _, a in lines)
