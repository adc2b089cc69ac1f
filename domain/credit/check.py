"""The order-time credit check: one pure function from a complete snapshot to a decision.

Seed 002: trade within the limit; above it, require prepayment (超出额度的交易必须要求预付款);
class D trades cash before delivery; accounts overdue beyond the escalation's legal stage get
no credit. The snapshot holds every input (policy, limits, exposure, rates), so the decision
log can replay any check with this same function and compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.credit import class_policy, policy_snapshot
from domain.credit.check_gaps import Gap, gap_details, gaps_of, only_adds_exposure
from domain.credit.check_json import conversion_json, decimal_json, money_json, standing_json
from domain.credit.class_policy import CreditPolicy, OrderHandling
from domain.credit.exposure import ExposureFacts, Standing, standing, utilisation
from domain.credit.limits import LimitRecord, in_force
from domain.credit.rates import Conversion, ExchangeRate, RateBook
from domain.money import Money

#: Bumped when the rules below change; a check is replayed under the version it was made
#: with (its snapshot's `rulesVersion`, 1 when absent). 2: an order prepaid in full for its
#: class (class D) needs no limit, so a missing or lapsed limit no longer sends it to review;
#: reasons are listed strictest first (the one that decided the answer leads). 3: an open item
#: or a group limit no rate converts sends the order to review (it was a refusal), and the
#: outcome records the conversion behind `available` and `utilisationAfter`. 4: a figure with
#: no rate only adds exposure, so an order above the headroom over what converts is over the
#: limit (a prepayment of at least the excess); `available` and `utilisationAfter` are unknown
#: (null) while figures are left out, each named once; an order currency with no rate to the
#: limit's is refused only when the answer depends on it (not when blocked or class-prepaid).
CHECK_RULES_VERSION = 4
#: Reasons that concern the credit part of an order: moot when the class prepays it all.
_CREDIT_ONLY = frozenset({"NO_LIMIT", "LIMIT_EXPIRED", "NO_EXCHANGE_RATE"})


class Outcome(StrEnum):
    """The answer, from the most to the least permissive."""

    APPROVED = "APPROVED"
    PREPAYMENT_REQUIRED = "PREPAYMENT_REQUIRED"
    REVIEW_REQUIRED = "REVIEW_REQUIRED"
    BLOCKED = "BLOCKED"


class Reason(StrEnum):
    """Why a check did not simply approve."""

    CUSTOMER_ARCHIVED = "CUSTOMER_ARCHIVED"
    CREDIT_HOLD = "CREDIT_HOLD"
    OVERDUE_BLOCK = "OVERDUE_BLOCK"
    NOT_RATED = "NOT_RATED"
    NO_LIMIT = "NO_LIMIT"
    LIMIT_EXPIRED = "LIMIT_EXPIRED"
    OVERDUE_REVIEW = "OVERDUE_REVIEW"
    DOSSIER_INCOMPLETE = "DOSSIER_INCOMPLETE"
    CLOSE_TRACKING = "CLOSE_TRACKING"
    CLASS_PREPAYMENT = "CLASS_PREPAYMENT"
    OVER_LIMIT = "OVER_LIMIT"
    OVER_GROUP_LIMIT = "OVER_GROUP_LIMIT"
    NO_EXCHANGE_RATE = "NO_EXCHANGE_RATE"


#: What each reason does to the answer.
SEVERITY: dict[Reason, Outcome] = {
    Reason.CUSTOMER_ARCHIVED: Outcome.BLOCKED,
    Reason.CREDIT_HOLD: Outcome.BLOCKED,
    Reason.OVERDUE_BLOCK: Outcome.BLOCKED,
    Reason.NOT_RATED: Outcome.REVIEW_REQUIRED,
    Reason.NO_LIMIT: Outcome.REVIEW_REQUIRED,
    Reason.LIMIT_EXPIRED: Outcome.REVIEW_REQUIRED,
    Reason.OVERDUE_REVIEW: Outcome.REVIEW_REQUIRED,
    Reason.DOSSIER_INCOMPLETE: Outcome.REVIEW_REQUIRED,
    Reason.CLOSE_TRACKING: Outcome.REVIEW_REQUIRED,
    Reason.CLASS_PREPAYMENT: Outcome.PREPAYMENT_REQUIRED,
    Reason.OVER_LIMIT: Outcome.PREPAYMENT_REQUIRED,
    Reason.OVER_GROUP_LIMIT: Outcome.PREPAYMENT_REQUIRED,
    Reason.NO_EXCHANGE_RATE: Outcome.REVIEW_REQUIRED,
}
_ORDER = list(Outcome)


@dataclass(frozen=True, slots=True)
class GroupLimit:
    """A group limit's history, anchored on one customer of the group."""

    anchor_id: str
    records: tuple[LimitRecord, ...]


@dataclass(frozen=True)
class CheckInput:
    """Everything a check decides from; stored whole in the decision log."""

    as_of: date
    customer_id: str
    customer_status: str
    rating_class: str | None
    hold_reason: str | None
    amount: Money
    order_ref: str | None
    reserve: bool
    policy: CreditPolicy
    limits: tuple[LimitRecord, ...]
    exposure: ExposureFacts
    group_members: tuple[str, ...] = ()
    group_limits: tuple[GroupLimit, ...] = ()
    group_exposure: ExposureFacts | None = None
    dossier_missing: tuple[str, ...] | None = None
    rates: tuple[ExchangeRate, ...] = ()
    rules_version: int = CHECK_RULES_VERSION

    def to_json(self) -> dict[str, Any]:
        """The complete snapshot (money as minor units and currency)."""
        return {
            "asOf": self.as_of.isoformat(),
            "customerId": self.customer_id,
            "customerStatus": self.customer_status,
            "ratingClass": self.rating_class,
            "holdReason": self.hold_reason,
            "amount": money_json(self.amount),
            "orderRef": self.order_ref,
            "reserve": self.reserve,
            "policy": policy_snapshot.to_json(self.policy),
            "limits": [r.to_json() for r in self.limits],
            "exposure": self.exposure.to_json(),
            "groupMembers": list(self.group_members),
            "groupLimits": [
                {"anchorId": g.anchor_id, "records": [r.to_json() for r in g.records]}
                for g in self.group_limits
            ],
            "groupExposure": self.group_exposure.to_json() if self.group_exposure else None,
            "dossierMissing": None if self.dossier_missing is None else list(self.dossier_missing),
            "rates": [r.to_json() for r in self.rates],
            "rulesVersion": self.rules_version,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> CheckInput:
        """Inverse of to_json, for replay."""
        missing = raw["dossierMissing"]
        return cls(
            as_of=date.fromisoformat(raw["asOf"]),
            customer_id=str(raw["customerId"]),
            customer_status=str(raw["customerStatus"]),
            rating_class=raw["ratingClass"],
            hold_reason=raw["holdReason"],
            amount=Money(int(raw["amount"]["minor"]), str(raw["amount"]["currency"])),
            order_ref=raw["orderRef"],
            reserve=bool(raw["reserve"]),
            policy=policy_snapshot.from_json(raw["policy"]),
            limits=tuple(LimitRecord.from_json(r) for r in raw["limits"]),
            exposure=ExposureFacts.from_json(raw["exposure"]),
            group_members=tuple(raw["groupMembers"]),
            group_limits=tuple(
                GroupLimit(
                    str(g["anchorId"]), tuple(LimitRecord.from_json(r) for r in g["records"])
                )
                for g in raw["groupLimits"]
            ),
            group_exposure=(
                ExposureFacts.from_json(raw["groupExposure"]) if raw["groupExposure"] else None
            ),
            dossier_missing=None if missing is None else tuple(missing),
            rates=tuple(ExchangeRate.from_json(r) for r in raw["rates"]),
            rules_version=int(raw.get("rulesVersion", 1)),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """A reason with what made it apply."""

    reason: Reason
    detail: str
    #: NO_EXCHANGE_RATE: the pair without a rate, from/to (USD/CNY)
    pair: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The reason as the log stores it (`pair` only where there is one)."""
        found = {"code": self.reason.value, "detail": self.detail}
        return found if self.pair is None else {**found, "pair": self.pair}


@dataclass(frozen=True)
class CheckOutcome:
    """The decision and the figures behind it."""

    outcome: Outcome
    findings: tuple[Finding, ...]
    amount: Money
    prepayment: Money | None
    #: None (rules version 4): figures no rate converts are left out, so it is unknown
    available: Money | None
    reserve: Money | None
    limit_id: str | None
    standing: Standing | None
    groups: tuple[tuple[str, Standing], ...]
    utilisation_after: Decimal | None
    rules_version: int = CHECK_RULES_VERSION
    #: the binding limit's headroom as `available`, with the rate used (None: no limit caps)
    available_conversion: Conversion | None = None
    #: the conversion the prepayment is the amount less of (None: no limit set it)
    prepayment_conversion: Conversion | None = None
    #: the credit part in the customer's limit currency, for `utilisation_after`
    utilisation_conversion: Conversion | None = None
    #: the prepayment is a minimum: figures no rate converts could only raise it
    prepayment_minimum: bool = False

    def to_json(self) -> dict[str, Any]:
        """The outcome as the decision log stores it (compared field by field on replay)."""
        found = {
            "outcome": self.outcome.value,
            "reasons": [f.to_json() for f in self.findings],
            "amount": money_json(self.amount),
            "prepayment": money_json(self.prepayment),
            "available": money_json(self.available),
            "reserve": money_json(self.reserve),
            "limitId": self.limit_id,
            "standing": standing_json(self.standing),
            "groups": [{"anchorId": a, "standing": standing_json(s)} for a, s in self.groups],
            "utilisationAfter": decimal_json(self.utilisation_after),
            "rulesVersion": self.rules_version,
        }
        if self.rules_version >= 3:  # what each converted figure used: its rate and date
            found["availableConversion"] = conversion_json(self.available_conversion)
            found["utilisationAfterConversion"] = conversion_json(self.utilisation_conversion)
        if self.rules_version >= 4:
            found["prepaymentMinimum"] = self.prepayment_minimum
        return found


def _rate_findings(gaps: list[Gap], as_of: date, once: bool) -> list[Finding]:
    """One NO_EXCHANGE_RATE finding per missing pair (in pair order), saying what it left out."""
    return [Finding(Reason.NO_EXCHANGE_RATE, d, pair) for pair, d in gap_details(gaps, as_of, once)]


def _settled_without_credit(findings: list[Finding]) -> bool:
    """Blocked, or prepaid in full for its class: the answer needs no conversion of the order."""
    return any(
        SEVERITY[f.reason] == Outcome.BLOCKED or f.reason == Reason.CLASS_PREPAYMENT
        for f in findings
    )


def _rules(inp: CheckInput) -> list[Finding]:
    """Findings that do not depend on the amount: status, hold, class, overdue, dossier."""
    found: list[Finding] = []
    policy = inp.policy
    if inp.customer_status != "ACTIVE":
        found.append(Finding(Reason.CUSTOMER_ARCHIVED, "the customer is archived"))
    if inp.hold_reason is not None:
        found.append(Finding(Reason.CREDIT_HOLD, f"on credit hold: {inp.hold_reason}"))
    days = inp.exposure.max_days_overdue
    if days > policy.overdue_block_days:
        found.append(
            Finding(
                Reason.OVERDUE_BLOCK,
                f"{days} days overdue (blocked beyond {policy.overdue_block_days})",
            )
        )
    elif days > policy.overdue_review_days:
        found.append(
            Finding(
                Reason.OVERDUE_REVIEW,
                f"{days} days overdue (review beyond {policy.overdue_review_days})",
            )
        )
    if inp.rating_class is None:
        found.append(Finding(Reason.NOT_RATED, "the customer has no rating class"))
    elif policy.for_class(inp.rating_class).order_handling == OrderHandling.PREPAYMENT:
        found.append(
            Finding(Reason.CLASS_PREPAYMENT, f"class {inp.rating_class} orders are prepaid in full")
        )
    if inp.dossier_missing:
        found.append(
            Finding(Reason.DOSSIER_INCOMPLETE, "missing: " + ", ".join(inp.dossier_missing))
        )
    return found


def decide(inp: CheckInput) -> CheckOutcome:
    """The credit check: findings, the answer, the prepayment, what to reserve, headroom.

    A figure no rate converts leaves its limit's headroom unknown (NO_EXCHANGE_RATE, per
    pair); from version 4 the headroom over what converts still caps the order when the
    left-out figures only add exposure: above it, the excess at least is prepaid. The amount's
    own currency with no rate to the customer's limit is refused, at `currency`, unless the
    answer needs no conversion (blocked, or prepaid in full for its class)."""
    book = RateBook.of(inp.as_of, inp.rates)
    findings = _rules(inp)
    v4 = inp.rules_version >= 4
    force = in_force(inp.limits, inp.as_of)
    mine = inp.amount.currency
    own = None
    order_converts = True
    caps: list[tuple[Conversion, Reason]] = []
    gaps: list[Gap] = []
    if force.standard is not None:
        target = force.standard.amount.currency
        if mine != target and book.route(mine, target) is None:  # direct, or via the base
            if not v4 or not _settled_without_credit(findings):
                raise book.missing(mine, target, "currency")
            order_converts = False
            gaps.append(Gap(f"{mine}/{target}", "the order against the own limit"))
        own = standing(
            force.standard.amount, [i.amount for i in force.increases], inp.exposure, book
        )
        gaps += gaps_of(own.unconverted, "own")
        if force.expired:
            findings.append(
                Finding(Reason.LIMIT_EXPIRED, f"the limit ended on {force.standard.valid_to}")
            )
        elif (
            order_converts
            and (not own.unconverted or (v4 and only_adds_exposure(own.unconverted)))
            and (cap := book.within(own.headroom, mine)) is not None
        ):
            caps.append((cap, Reason.OVER_LIMIT))
    groups = []
    for group in inp.group_limits:
        group_force = in_force(group.records, inp.as_of)
        if group_force.standard is None or inp.group_exposure is None:
            continue
        increases = [i.amount for i in group_force.increases]
        group_standing = standing(group_force.standard.amount, increases, inp.group_exposure, book)
        groups.append((group.anchor_id, group_standing))
        left = group_standing.unconverted
        gaps += gaps_of(left, "group")
        if group_force.expired:
            findings.append(
                Finding(
                    Reason.LIMIT_EXPIRED,
                    f"the group limit ended on {group_force.standard.valid_to}",
                )
            )
        elif not left or (v4 and only_adds_exposure(left)):
            cap = book.within(group_standing.headroom, mine)
            if cap is None:
                pair = f"{mine}/{group_standing.limit.currency}"
                gaps.append(Gap(pair, "the order against the group limit"))
            else:
                caps.append((cap, Reason.OVER_GROUP_LIMIT))
    rate_findings = _rate_findings(gaps, inp.as_of, once=v4)
    if not v4:
        findings += rate_findings
    if force.standard is None and not groups:
        findings.append(Finding(Reason.NO_LIMIT, "no credit limit is set"))
    binding = min(caps, key=lambda c: c[0].amount.minor, default=None)
    known = binding[0].amount if binding else Money(0, mine)
    # version 4: with figures left out, no amount is known to be available
    available = None if v4 and gaps else known
    minimum = v4 and bool(gaps)
    prepayment = None
    prepayment_conversion = None
    class_prepaid = any(f.reason == Reason.CLASS_PREPAYMENT for f in findings)
    if v4:  # after the over-limit finding they qualify (the prepayment is a minimum)
        findings += rate_findings
    if class_prepaid and inp.rules_version >= 2:
        # nothing is sold on credit, so no limit is needed: the order waits for its payment
        findings = [f for f in findings if f.reason.value not in _CREDIT_ONLY]
    over = False
    if class_prepaid:
        prepayment = inp.amount
    elif binding is not None and known.minor < inp.amount.minor:
        prepayment = Money(inp.amount.minor - known.minor, mine)
        prepayment_conversion = binding[0]
        over = True
        detail = f"{known.to_decimal_string()} {known.currency} available"
        if minimum:
            detail = (
                f"at most {detail} (figures with no rate left out): "
                f"at least {prepayment.to_decimal_string()} {mine} to prepay"
            )
        finding = Finding(binding[1], detail)
        if v4:
            findings.insert(len(findings) - len(rate_findings), finding)
        else:
            findings.append(finding)
    credit_part = Money(inp.amount.minor - (prepayment.minor if prepayment else 0), mine)
    after = None
    added = None
    if own is not None and order_converts:
        added = book.convert(credit_part, own.limit.currency, "currency")
        after = utilisation(own.exposure.total.minor + added.amount.minor, own.limit.minor)
        klass = policy_class(inp)
        threshold = klass.review_above_utilisation if klass else None
        if (
            klass is not None
            and klass.order_handling == OrderHandling.CLOSE_TRACKING
            and threshold is not None
            and credit_part.minor > 0
            and after is not None
            and after > threshold
        ):
            findings.append(
                Finding(Reason.CLOSE_TRACKING, f"class {klass.rating_class}: use above {threshold}")
            )
        if v4 and own.unconverted:  # over converted figures only: not the utilisation
            after = added = None

    def severity(f: Finding) -> Outcome:
        # version 4: an over-limit certain despite a missing rate is decided by prepayment
        if over and v4 and f.reason == Reason.NO_EXCHANGE_RATE:
            return Outcome.PREPAYMENT_REQUIRED
        return SEVERITY[f.reason]

    if inp.rules_version >= 2:  # strictest first, in the order found among equals
        findings.sort(key=lambda f: _ORDER.index(severity(f)), reverse=True)
    outcome = max((severity(f) for f in findings), key=_ORDER.index, default=Outcome.APPROVED)
    reserve = None
    if (
        inp.reserve
        and outcome in (Outcome.APPROVED, Outcome.PREPAYMENT_REQUIRED)
        and credit_part.minor > 0
        and not minimum  # the credit part may not fit once converted: a person settles it
    ):
        reserve = credit_part
    return CheckOutcome(
        outcome=outcome,
        findings=tuple(findings),
        amount=inp.amount,
        prepayment=prepayment,
        available=available,
        reserve=reserve,
        limit_id=force.standard.id if force.standard else None,
        standing=own,
        groups=tuple(groups),
        utilisation_after=after,
        rules_version=inp.rules_version,
        available_conversion=binding[0] if binding and available is not None else None,
        prepayment_conversion=prepayment_conversion,
        utilisation_conversion=added,
        prepayment_minimum=minimum and prepayment is not None and not class_prepaid,
    )


def policy_class(inp: CheckInput) -> class_policy.ClassPolicy | None:
    """The customer's class policy, if it is rated."""
    return inp.policy.for_class(inp.rating_class) if inp.rating_class else None
