"""A limit decision recomputed from its snapshot: tier, approvals, status, recommendation.

The service records a limit decision by calling `decide_limit` on the snapshot it stores,
and a replay calls it again on the stored snapshot: the same pure function both times.

The tier follows the credit the request leaves in force, not its own amount: a temporary
increase adds to the standard limit and the increases running beside it, so two increases
(or an increase on a large limit) cannot pass under one manager where the total needs two.
A request is decided against the limits its filer saw: one approved since makes it stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from domain.credit import policy_snapshot
from domain.credit.limits import (
    LimitKind,
    LimitRecord,
    check_approval,
    in_force,
    inputs_from_json,
    recommend,
    recommendation_json,
    requirement,
)
from domain.credit.rates import ExchangeRate, RateBook
from domain.errors import DomainError
from domain.money import Money


def resulting_limit(
    records: Sequence[LimitRecord],
    kind: LimitKind,
    amount: Money,
    valid_from: date,
    valid_to: date | None,
) -> Money:
    """The most credit in force on any day of the request's period once it is approved: its
    standard (the one requested, else the one in force; nothing once that lapsed) plus every
    increase running that day, this one too. Records and amount in one currency (the base).

    The total only changes where a record starts or the day after one ends, so those days
    (and the first) are the only ones to look at."""
    days = {valid_from}
    for record in records:
        ends = record.valid_to + timedelta(days=1) if record.valid_to else None
        for day in (record.valid_from, ends):
            if day is not None and day > valid_from and (valid_to is None or day <= valid_to):
                days.add(day)
    peak = 0
    for day in days:
        force = in_force(records, day)
        if kind == LimitKind.STANDARD:
            standard = amount.minor
        elif force.standard is None or force.expired:
            standard = 0
        else:
            standard = force.standard.amount.minor
        own = amount.minor if kind == LimitKind.TEMPORARY else 0
        peak = max(peak, standard + own + sum(i.amount.minor for i in force.increases))
    return Money(peak, amount.currency)


def in_base(records: Iterable[LimitRecord], book: RateBook, base: str) -> list[LimitRecord]:
    """Records with their amounts converted to the base currency (through the book)."""
    return [
        replace(r, amount=book.convert(r.amount, base, "amount.currency").amount) for r in records
    ]


def is_stale(seen_seq: int | None, latest_seq: int | None) -> bool:
    """Whether a limit of the same customer and scope was approved after the request was
    filed (its number above the newest one the filer saw): approving it would undo that one."""
    return latest_seq is not None and (seen_seq is None or latest_seq > seen_seq)


def check_current(seen_seq: int | None, latest_seq: int | None) -> None:
    """STALE_REQUEST when a limit of the same customer and scope was approved after the
    request was filed (its number above the newest one the filer saw): approving the old
    request would silently undo it, and its tier was set without it."""
    if is_stale(seen_seq, latest_seq):
        raise DomainError(
            "STALE_REQUEST",
            "a later limit was approved since this request; request again (a credit "
            "application's request: refile it with refileCreditApplicationLimit, which keeps "
            "its grant)",
            "id",
        )


def decide_limit(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The outcome a limit request's snapshot implies.

    Snapshot: `asOf`, `policy` (policy_snapshot.to_json), `rates`, `request` (amount, kind,
    scope, dates, requestedBy; grantedBy when an application's decision granted it),
    `approvals` (approver and roles, in order), `rejectedBy` (or null), `recommendation`
    (its inputs, or null) and `limits` (the customer's approved records of that scope still
    running on the first day, LimitRecord.to_json; a snapshot from before the tier followed
    the resulting limit has none and is tiered on its amount).
    """
    policy = policy_snapshot.from_json(snapshot["policy"])
    book = RateBook.of(
        date.fromisoformat(snapshot["asOf"]),
        [ExchangeRate.from_json(r) for r in snapshot["rates"]],
    )
    request = snapshot["request"]
    amount = Money(int(request["amount"]["minor"]), str(request["amount"]["currency"]))
    converted = book.convert(amount, policy.base_currency, "amount.currency")
    basis = resulting = None
    if snapshot.get("limits") is not None:
        records = [LimitRecord.from_json(r) for r in snapshot["limits"]]
        resulting = resulting_limit(
            in_base(records, book, policy.base_currency),
            LimitKind(request["kind"]),
            converted.amount,
            date.fromisoformat(request["validFrom"]),
            date.fromisoformat(request["validTo"]) if request.get("validTo") else None,
        )
        basis = {"resultingInBase": {"minor": resulting.minor, "currency": resulting.currency}}
    needed = requirement(converted.amount if resulting is None else resulting, policy.approval)
    approved_by: list[str] = []
    roles: list[str] = []
    for approval in snapshot["approvals"]:
        roles.append(
            check_approval(
                str(request["requestedBy"]),
                str(approval["approver"]),
                frozenset(approval["roles"]),
                needed,
                approved_by,
                granted_by=request.get("grantedBy"),
            )
        )
        approved_by.append(str(approval["approver"]))
    if snapshot.get("rejectedBy"):
        status = "REJECTED"
    elif len(approved_by) >= needed.count:
        status = "APPROVED"
    else:
        status = "PENDING"
    recommended = None
    if snapshot.get("recommendation") is not None:
        inputs = inputs_from_json(snapshot["recommendation"])
        klass = policy.for_class(inputs.rating_class) if inputs.rating_class else None
        result = recommend(inputs, policy.formula, klass, policy.base_currency, book)
        recommended = recommendation_json(inputs, result)
    return {
        "status": status,
        "tier": needed.tier.value,
        "approvalsRequired": needed.count,
        "amountInBase": converted.to_json(),
        **(basis or {}),
        "approvedBy": approved_by,
        "approvedAs": roles,
        "recommendation": recommended,
    }
