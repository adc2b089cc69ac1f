"""Insurance claims: the indemnity a covered loss earns, its status, and recovery sharing.

Indemnity = indemnity % x (covered loss - deductible), capped by the cover and by what is
left of the policy's maximum liability. Amounts are minor units, rounded down: the insurer
never pays a fraction of a unit more than its percentage.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.errors import DomainError
from domain.risk.insurance_policy import DeductibleKind, PolicyTerms
from domain.risk.transfer import share_down, share_half_up


class ClaimStatus(StrEnum):
    """Where a claim stands."""

    FILED = "FILED"  #: sent to the insurer, nothing paid yet
    PARTLY_PAID = "PARTLY_PAID"  #: the insurer paid part of the indemnity claimed
    PAID = "PAID"  #: the insurer paid the indemnity claimed
    REJECTED = "REJECTED"  #: the insurer refused it; its invoices may be claimed again


@dataclass(frozen=True, slots=True)
class Indemnity:
    """How a claim's indemnity was computed, every step kept for the claim pack."""

    covered_loss_minor: int  #: the claimed invoices' open amounts within the cover
    deductible_minor: int  #: the part of the deductible this claim bears
    indemnity_percent: Decimal
    before_caps_minor: int  #: indemnity % of the loss after the deductible
    cover_cap_minor: int  #: the cover limit the invoices were delivered under
    liability_left_minor: int  #: the policy's maximum liability not yet claimed
    indemnity_minor: int  #: what the insurer owes
    capped_by: str | None  #: COVER or MAX_LIABILITY when a cap bit


def indemnity(
    covered_loss_minor: int,
    terms: PolicyTerms,
    cover_cap_minor: int,
    deductible_used_minor: int,
    claimed_before_minor: int,
) -> Indemnity:
    """The indemnity of a claim, given the deductible earlier claims already bore (aggregate
    deductibles) and the indemnities earlier claims took of the maximum liability."""
    if terms.deductible_kind is DeductibleKind.AGGREGATE:
        deductible_left = max(0, terms.deductible_minor - deductible_used_minor)
    else:
        deductible_left = terms.deductible_minor
    deductible = min(covered_loss_minor, deductible_left)
    before_caps = share_down(covered_loss_minor - deductible, terms.indemnity_percent)
    liability_left = max(0, terms.max_liability_minor - claimed_before_minor)
    amount, capped_by = before_caps, None
    if cover_cap_minor < amount:
        amount, capped_by = cover_cap_minor, "COVER"
    if liability_left < amount:
        amount, capped_by = liability_left, "MAX_LIABILITY"
    return Indemnity(
        covered_loss_minor=covered_loss_minor,
        deductible_minor=deductible,
        indemnity_percent=terms.indemnity_percent,
        before_caps_minor=before_caps,
        cover_cap_minor=cover_cap_minor,
        liability_left_minor=liability_left,
        indemnity_minor=amount,
        capped_by=capped_by,
    )


def after_payment(
    status: ClaimStatus, claimed_minor: int, paid_minor: int, amount: int
) -> ClaimStatus:
    """The status after the insurer pays `amount` on a claim."""
    if status not in (ClaimStatus.FILED, ClaimStatus.PARTLY_PAID):
        raise DomainError("INVALID_STATUS", f"a {status.lower()} claim takes no payment", "claimId")
    if amount <= 0:
        raise DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "amount.amount")
    if paid_minor + amount > claimed_minor:
        raise DomainError(
            "EXCEEDS_INDEMNITY", "more than the indemnity claimed is left to pay", "amount.amount"
        )
    return ClaimStatus.PAID if paid_minor + amount == claimed_minor else ClaimStatus.PARTLY_PAID


def check_rejectable(status: ClaimStatus) -> None:
    """Only a claim the insurer has not paid on can be rejected."""
    if status is not ClaimStatus.FILED:
        raise DomainError(
            "INVALID_STATUS", f"a {status.lower()} claim cannot be rejected", "claimId"
        )


@dataclass(frozen=True, slots=True)
class RecoverySplit:
    """A recovery after an indemnity: the insurer's share and ours."""

    insurer_minor: int
    ours_minor: int


def recovery_split(
    amount_minor: int, share_percent: Decimal, indemnity_paid_minor: int, shared_before_minor: int
) -> RecoverySplit:
    """Share a recovery with the insurer at the policy's percentage, never handing over more
    in total than the insurer paid (what is left after that is ours)."""
    if amount_minor <= 0:
        raise DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "amount.amount")
    if indemnity_paid_minor <= 0:
        raise DomainError(
            "NO_INDEMNITY_PAID", "recoveries are shared only after an indemnity", "claimId"
        )
    room = max(0, indemnity_paid_minor - shared_before_minor)
    insurer = min(share_half_up(amount_minor, share_percent), room)
    return RecoverySplit(insurer, amount_minor - insurer)
