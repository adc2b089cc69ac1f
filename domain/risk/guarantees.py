"""Guarantors and guarantees: kinds, scope, the status machine and the guarantee period.

The source practice (seed 000 §13, 建立信用担保机制) asks for a guarantor of good standing
(担保人选择), a written guarantee contract (担保合同), an assessment of the guarantor
(担保评估), supervision while it runs (担保监督) and its timely release once the customer's
credit is restored (客户信用恢复后,及时解除担保). Seed 002 names third-party guarantees
(第三方担保) and, when a customer is in trouble, additional security (额外的担保措施).
The guarantee period (保证期间) follows the PRC Civil Code: arts. 692-693.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.errors import DomainError

#: PRC Civil Code art. 692: where the contract states no guarantee period (保证期间), or an
#: unclear one, the period is six months from the day the principal debt falls due.
STATUTORY_PERIOD_MONTHS = 6
#: platform bound: a contract-stated period of up to ten years from each debt's due date.
MAX_PERIOD_MONTHS = 120
#: the issue's default: warn 30 days before a guarantee (the instrument itself) expires.
EXPIRY_WARNING_DAYS = 30
#: platform default: warn 30 days before a covered debt's guarantee period lapses, the same
#: lead time as the expiry warning, enough to send a demand or start proceedings.
PERIOD_WARNING_DAYS = 30
#: Seed 000 (客户信用恢复后,及时解除担保), the issue's default reading of "restored": class A or
#: B, and no debt more than 30 days past due in the last six months.
RELEASE_CLASSES = ("A", "B")
RELEASE_MAX_DAYS_PAST_DUE = 30
RELEASE_WINDOW_MONTHS = 6


class GuarantorKind(StrEnum):
    """Who stands behind the customer."""

    COMPANY = "COMPANY"
    PERSON = "PERSON"


class GuaranteeKind(StrEnum):
    """The four instruments the practice uses, from the weakest claim to the strongest."""

    GENERAL = "GENERAL"  #: 一般保证: the guarantor may insist the debtor is pursued first
    JOINT_AND_SEVERAL = "JOINT_AND_SEVERAL"  #: 连带责任保证: demand from either at once
    BANK_GUARANTEE = "BANK_GUARANTEE"  #: 保函: a bank pays on a complying demand
    STANDBY_LC = "STANDBY_LC"  #: standby letter of credit: the same, under ISP98/UCP600


#: Instruments whose deadline is their own expiry: a demand must be presented before it.
INSTRUMENTS = (GuaranteeKind.BANK_GUARANTEE, GuaranteeKind.STANDBY_LC)


class Scope(StrEnum):
    """Which debts a guarantee covers."""

    ALL_DEBTS = "ALL_DEBTS"  #: every debt of the customer outstanding or arising until expiry
    NAMED_INVOICES = "NAMED_INVOICES"  #: only the invoices the contract names
    UP_TO_AMOUNT = "UP_TO_AMOUNT"  #: 最高额保证: debts arising while it runs, up to the amount


class Status(StrEnum):
    """ACTIVE -> CALLED -> PAID; ACTIVE or CALLED -> RELEASED; ACTIVE -> EXPIRED."""

    ACTIVE = "ACTIVE"
    CALLED = "CALLED"
    PAID = "PAID"
    RELEASED = "RELEASED"
    EXPIRED = "EXPIRED"


#: The moves a guarantee may make. A called guarantee does not expire: the claim was made in
#: time; it is paid, or released when the customer pays or the claim is settled otherwise.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.ACTIVE: frozenset({Status.CALLED, Status.RELEASED, Status.EXPIRED}),
    Status.CALLED: frozenset({Status.PAID, Status.RELEASED}),
    Status.PAID: frozenset(),
    Status.RELEASED: frozenset(),
    Status.EXPIRED: frozenset(),
}
#: Statuses in which a guarantee still secures the customer's debts.
SECURING = (Status.ACTIVE, Status.CALLED)


def move(current: Status, target: Status, field: str = "id") -> Status:
    """The new status, or INVALID_STATUS naming what is allowed from the current one."""
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (final)"
        raise DomainError(
            "INVALID_STATUS", f"a {current} guarantee cannot become {target}; allowed: {allowed}",
            field,
        )  # fmt: skip
    return target


def months_after(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Aug + 6 = 28/29 Feb);
    PostgreSQL's `date + interval 'n months'` does the same, which the sweep relies on."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class DeadlineBasis(StrEnum):
    """Where a claim deadline comes from."""

    CONTRACT = "CONTRACT"  #: the period the guarantee contract states, from the due date
    STATUTORY = "STATUTORY"  #: none stated: six months from the due date (art. 692)
    INSTRUMENT = "INSTRUMENT"  #: a bank guarantee or standby LC: its own expiry date


@dataclass(frozen=True, slots=True)
class ClaimDeadline:
    """The last day a claim under a guarantee can be made for one debt, and what it takes."""

    ends_on: date
    basis: DeadlineBasis
    action: str


#: What keeps a claim alive, per kind (art. 693: a general guarantee needs proceedings or
#: arbitration against the debtor inside the period; a joint-and-several one, a demand on
#: the guarantor; an instrument, a complying demand before expiry).
CLAIM_ACTIONS: dict[GuaranteeKind, str] = {
    GuaranteeKind.GENERAL: "sue or arbitrate against the debtor (Civil Code art. 693)",
    GuaranteeKind.JOINT_AND_SEVERAL: "demand payment from the guarantor (Civil Code art. 693)",
    GuaranteeKind.BANK_GUARANTEE: "present a complying demand to the issuing bank",
    GuaranteeKind.STANDBY_LC: "present a complying demand under the standby LC",
}


def claim_deadline(
    kind: GuaranteeKind, due_date: date, period_months: int | None, valid_to: date
) -> ClaimDeadline:
    """The guarantee period's end for a debt due on `due_date` (保证期间)."""
    if kind in INSTRUMENTS:
        return ClaimDeadline(valid_to, DeadlineBasis.INSTRUMENT, CLAIM_ACTIONS[kind])
    months = STATUTORY_PERIOD_MONTHS if period_months is None else period_months
    basis = DeadlineBasis.STATUTORY if period_months is None else DeadlineBasis.CONTRACT
    return ClaimDeadline(months_after(due_date, months), basis, CLAIM_ACTIONS[kind])


@dataclass(frozen=True, slots=True)
class GuaranteeTerms:
    """What decides which debts a guarantee covers and until when a claim can be made."""

    id: str
    customer_id: str
    kind: GuaranteeKind
    scope: Scope
    valid_from: date
    valid_to: date
    period_months: int | None
    status: Status
    named: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Debt:
    """An invoice as the period clock sees it."""

    id: str
    customer_id: str
    issue_date: date
    due_date: date
    open_minor: int


def covers(terms: GuaranteeTerms, debt: Debt) -> bool:
    """Whether the guarantee covers the debt: the named invoices; every debt of the customer
    arising until expiry; or (最高额) those arising while it runs."""
    if terms.scope == Scope.NAMED_INVOICES:
        return debt.id in terms.named
    if debt.customer_id != terms.customer_id or debt.issue_date > terms.valid_to:
        return False
    return terms.scope == Scope.ALL_DEBTS or debt.issue_date >= terms.valid_from


class PeriodState(StrEnum):
    """A covered debt's guarantee period on a day."""

    RUNNING = "RUNNING"
    LAPSING = "LAPSING"  #: within the warning days of its end
    LAPSED = "LAPSED"  #: past its end: no claim for this debt any more


@dataclass(frozen=True, slots=True)
class PeriodNotice:
    """One covered open debt whose period is lapsing or has lapsed on the day."""

    guarantee_id: str
    invoice_id: str
    state: PeriodState
    ends_on: date


def period_state(ends_on: date, as_of: date, warning_days: int) -> PeriodState:
    """Running, lapsing (warned `warning_days` ahead, the end day included) or lapsed."""
    if as_of > ends_on:
        return PeriodState.LAPSED
    if as_of >= ends_on - timedelta(days=warning_days):
        return PeriodState.LAPSING
    return PeriodState.RUNNING


def period_notices(
    guarantees: Iterable[GuaranteeTerms], debts: Iterable[Debt], as_of: date, warning_days: int
) -> list[PeriodNotice]:
    """Every covered open debt of an ACTIVE guarantee whose period lapses soon or has lapsed
    (the pure twin of the daily sweep's statement). A called guarantee made its claim."""
    out = []
    debts = [d for d in debts if d.open_minor > 0]
    for terms in guarantees:
        if terms.status != Status.ACTIVE or terms.kind in INSTRUMENTS:
            continue
        for debt in debts:
            if not covers(terms, debt):
                continue
            deadline = claim_deadline(
                terms.kind, debt.due_date, terms.period_months, terms.valid_to
            )
            state = period_state(deadline.ends_on, as_of, warning_days)
            if state != PeriodState.RUNNING:
                out.append(PeriodNotice(terms.id, debt.id, state, deadline.ends_on))
    return sorted(out, key=lambda n: (n.guarantee_id, n.invoice_id))


def expiry_state(valid_to: date, as_of: date, warning_days: int) -> PeriodState:
    """A guarantee's own expiry on a day: running, expiring soon, or expired."""
    return period_state(valid_to, as_of, warning_days)


@dataclass(frozen=True, slots=True)
class RestoredFacts:
    """What the release rule reads of a customer."""

    rating_class: str | None
    max_days_past_due: int  #: the most days any debt was past due inside the window


def restored(facts: RestoredFacts, classes: Iterable[str], max_days_past_due: int) -> bool:
    """Seed 000: release the guarantee once the customer's credit is restored: its class is
    one of `classes` and no debt ran more than `max_days_past_due` late in the window."""
    return facts.rating_class in set(classes) and facts.max_days_past_due <= max_days_past_due


def mask_identity(number: str | None) -> str | None:
    """A registration or identity number for roles that need not see it: the first two and
    the last four characters, the rest starred (a short number is starred but its last)."""
    if number is None:
        return None
    if len(number) <= 6:
        return "*" * (len(number) - 1) + number[-1:]
    return number[:2] + "*" * (len(number) - 6) + number[-4:]
