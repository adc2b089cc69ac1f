"""Credit insurance policy terms: what a policy says, checked once from the client's input,
and what it makes the insurer charge (premium) and pay (the insured part of a loss)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.dates import check_date
from domain.errors import DomainError, ValidationFailed
from domain.risk.transfer import (
    NAME_MAX,
    REFERENCE_MAX,
    attempt,
    check_days,
    check_text,
    parse_percent,
    share_down,
    share_half_up,
)

#: Not in the source practice (seed 004 says only that the insurer pays when a customer
#: defaults): insurers usually indemnify 80-95% of a covered loss; 90% is the common figure.
DEFAULT_INDEMNITY_PERCENT = Decimal("90")
#: The platform's most generous payment terms (class A: 60 days net); longer terms need the
#: insurer's consent, so a policy without its own figure insures no more than that.
DEFAULT_MAX_CREDIT_DAYS = 60
#: Seed 002: from 60 days overdue a debt goes to the legal department (60至90天...升级至法务部门);
#: the insurer must hear of it by then.
DEFAULT_NOTIFICATION_DAYS = 60
#: Seed 002: for the first 30 days overdue only the salesperson telephones (30天内...电话提醒);
#: after that the debt is escalated, so deliveries on credit stop.
DEFAULT_MAX_EXTENSION_DAYS = 30
#: Seed 002: past 90 days overdue legal proceedings must start (超过90天...立即启动法律程序);
#: the claim is filed by then so the insurer can take the debt over.
DEFAULT_CLAIM_FILING_DAYS = 90


class DeductibleKind(StrEnum):
    """How the deductible applies."""

    PER_CLAIM = "PER_CLAIM"  #: taken off each claim
    AGGREGATE = "AGGREGATE"  #: taken off the policy's claims until used up


@dataclass(frozen=True, slots=True)
class PolicyTerms:
    """What a policy says: who, when, how much, and the clock of its deadlines."""

    insurer: str
    policy_number: str
    currency: str
    starts_on: date
    ends_on: date
    indemnity_percent: Decimal
    max_liability_minor: int
    deductible_minor: int
    deductible_kind: DeductibleKind
    max_credit_days: int
    notification_days: int
    max_extension_days: int
    claim_filing_days: int
    premium_rate_percent: Decimal
    recovery_share_percent: Decimal
    cover_required: bool = False  #: no credit to a buyer whose cover is cut

    def covers_date(self, day: date) -> bool:
        """Whether a delivery on `day` falls in the policy period."""
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True, slots=True)
class PolicyInput:
    """A policy as the client wrote it: texts, decimal strings, day counts."""

    insurer: str
    policy_number: str
    currency: str
    starts_on: date
    ends_on: date
    max_liability_minor: int
    premium_rate_percent: str
    indemnity_percent: str = str(DEFAULT_INDEMNITY_PERCENT)
    deductible_minor: int = 0
    deductible_kind: str = DeductibleKind.PER_CLAIM.value
    max_credit_days: int = DEFAULT_MAX_CREDIT_DAYS
    notification_days: int = DEFAULT_NOTIFICATION_DAYS
    max_extension_days: int = DEFAULT_MAX_EXTENSION_DAYS
    claim_filing_days: int = DEFAULT_CLAIM_FILING_DAYS
    recovery_share_percent: str | None = None
    cover_required: bool = False


def check_policy(data: PolicyInput) -> PolicyTerms:
    """Policy terms from input, or every problem at once (amounts already in minor units)."""
    errors: list[DomainError] = []
    insurer = attempt(errors, check_text, data.insurer, "insurer", NAME_MAX, True)
    number = attempt(errors, check_text, data.policy_number, "policyNumber", REFERENCE_MAX, True)
    starts = attempt(errors, check_date, data.starts_on, "startsOn")
    ends = attempt(errors, check_date, data.ends_on, "endsOn")
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        errors.append(
            DomainError("ENDS_BEFORE_START", "the period ends before it starts", "endsOn")
        )
    indemnity = attempt(errors, parse_percent, data.indemnity_percent, "indemnityPercent")
    premium = attempt(errors, parse_percent, data.premium_rate_percent, "premiumRatePercent")
    share_text = data.recovery_share_percent
    share = (
        attempt(errors, parse_percent, share_text, "recoverySharePercent")
        if share_text
        else indemnity
    )
    if data.max_liability_minor <= 0:
        errors.append(
            DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "maxLiability.amount")
        )
    if data.deductible_minor < 0:
        errors.append(DomainError("NEGATIVE_AMOUNT", "must not be negative", "deductible.amount"))
    if data.deductible_kind not in DeductibleKind.__members__:
        errors.append(DomainError("INVALID_KIND", "PER_CLAIM or AGGREGATE", "deductibleKind"))
    attempt(errors, check_days, data.max_credit_days, "maxCreditDays", 1)
    notify = attempt(errors, check_days, data.notification_days, "notificationDays")
    attempt(errors, check_days, data.max_extension_days, "maxExtensionDays")
    claim = attempt(errors, check_days, data.claim_filing_days, "claimFilingDays")
    if isinstance(notify, int) and isinstance(claim, int) and claim < notify:
        errors.append(
            DomainError(
                "DEADLINES_OUT_OF_ORDER",
                "a claim is filed no earlier than the overdue notification",
                "claimFilingDays",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return PolicyTerms(
        insurer=str(insurer),
        policy_number=str(number),
        currency=data.currency,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        indemnity_percent=indemnity,  # type: ignore[arg-type]
        max_liability_minor=data.max_liability_minor,
        deductible_minor=data.deductible_minor,
        deductible_kind=DeductibleKind(data.deductible_kind),
        max_credit_days=data.max_credit_days,
        notification_days=data.notification_days,
        max_extension_days=data.max_extension_days,
        claim_filing_days=data.claim_filing_days,
        premium_rate_percent=premium,  # type: ignore[arg-type]
        recovery_share_percent=share,  # type: ignore[arg-type]
        cover_required=data.cover_required,
    )


def premium(insured_turnover_minor: int, terms: PolicyTerms) -> int:
    """The premium on a month's insured turnover (rate on turnover, rounded half up)."""
    return share_half_up(insured_turnover_minor, terms.premium_rate_percent)


def insured_part(covered_minor: int, terms: PolicyTerms, deductible_used_minor: int = 0) -> int:
    """What the insurer would pay on a covered open amount today: the indemnity percentage of
    it after the deductible still to bear (the waterfall's insured layer), capped by the
    maximum liability."""
    if terms.deductible_kind is DeductibleKind.AGGREGATE:
        deductible = max(0, terms.deductible_minor - deductible_used_minor)
    else:
        deductible = terms.deductible_minor
    part = share_down(max(0, covered_minor - deductible), terms.indemnity_percent)
    return min(part, terms.max_liability_minor)
