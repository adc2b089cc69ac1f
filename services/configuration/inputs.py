"""Policy changes as the API received them: checked by the policy service, not here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class Setting(StrEnum):
    """A receivables policy setting, by the key the tenant's settings store it under.

    The values are stored and shown as `overridden`, so they never change.
    """

    AGING_BUCKETS = "agingBuckets"
    AGE_BUCKETS = "ageBuckets"
    ESCALATION_LADDER = "escalationLadder"
    PROVISION_MATRIX = "provisionMatrix"
    LATE_INTEREST_DAILY_RATE = "lateInterestDailyRate"
    GRACE_DAYS = "graceDays"
    REMINDER_DAYS_BEFORE_DUE = "reminderDaysBeforeDue"
    WRITE_OFF_DUAL_APPROVAL_MINOR = "writeOffDualApprovalMinor"
    MAX_DOCUMENT_MINOR = "maxDocumentMinor"


class Keep(Enum):
    """The type of KEEP."""

    KEEP = "KEEP"


#: A change that leaves its setting as it is (None instead resets it to the default).
KEEP = Keep.KEEP


@dataclass(frozen=True)
class BucketIn:
    """An aging bucket: days from `min_days` through `max_days` (None: open-ended)."""

    label: str
    min_days: int
    max_days: int | None = None


@dataclass(frozen=True)
class StageIn:
    """A rung of the escalation ladder."""

    key: str
    min_days: int
    max_days: int | None
    owner_role: str
    action: str


@dataclass(frozen=True)
class MatrixIn:
    """A provision matrix: a basis and (min days, rate as decimal text) bands."""

    basis: str
    bands: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class PolicyChanges:
    """Overrides to apply: KEEP leaves a setting alone, None resets it to the default."""

    aging_buckets: tuple[BucketIn, ...] | Keep | None = KEEP
    age_buckets: tuple[BucketIn, ...] | Keep | None = KEEP
    escalation_ladder: tuple[StageIn, ...] | Keep | None = KEEP
    provision_matrix: MatrixIn | Keep | None = KEEP
    late_interest_daily_rate: str | Keep | None = KEEP
    grace_days: int | Keep | None = KEEP
    reminder_days_before_due: int | Keep | None = KEEP
    write_off_dual_approval_minor: int | Keep | None = KEEP
    max_document_minor: str | Keep | None = KEEP
