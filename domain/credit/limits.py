"""Credit limits: which limit is in force, who may approve one, and the recommended amount.

A limit's history is append-only: a change is a new record, never an edit. The limit in
force on a date is chosen by validity dates: the newest standard record whose dates cover
it; only when none does is the one that ended last "expired". Temporary increases add to it
between their dates. Approval follows the tenant's matrix and four eyes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import Any

from domain.credit.bounds import clean_text, date_error
from domain.credit.class_policy import ApprovalMatrix, ClassPolicy, LimitFormula
from domain.credit.rates import Conversion, RateBook
from domain.currencies import minor_units
from domain.errors import DomainError, ValidationFailed
from domain.money import Money, document_amount_error
from domain.terms import PaymentTerms, TermsKind

#: platform default: a temporary increase lasts at most a year; beyond that it is a limit.
MAX_TEMPORARY_DAYS = 366
#: A limit's basis and note are short texts (a database CHECK mirrors these).
MAX_NOTE = 2000
#: common practice: an end-of-month invoice is, on average, issued mid-month.
END_OF_MONTH_AVERAGE_DAYS = 15


class LimitScope(StrEnum):
    """Whom a limit covers: one customer, or the group of customers linked to it."""

    CUSTOMER = "CUSTOMER"
    GROUP = "GROUP"


class LimitKind(StrEnum):
    """A standing limit, or a temporary increase on top of it."""

    STANDARD = "STANDARD"
    TEMPORARY = "TEMPORARY"


class LimitBasis(StrEnum):
    """Why the amount is what it is."""

    RECOMMENDED = "RECOMMENDED"
    MANUAL = "MANUAL"
    APPLICATION = "APPLICATION"
    REVIEW = "REVIEW"


class ApprovalTier(StrEnum):
    """The authority a limit of some size needs."""

    ANALYST = "ANALYST"
    MANAGER = "MANAGER"
    TWO_MANAGERS = "TWO_MANAGERS"


CREDIT_ANALYST = "credit_analyst"
CREDIT_MANAGER = "credit_manager"


@dataclass(frozen=True, slots=True)
class LimitRecord:
    """One approved limit as history keeps it."""

    id: str
    seq: int
    scope: LimitScope
    kind: LimitKind
    amount: Money
    valid_from: date
    valid_to: date | None

    def to_json(self) -> dict[str, Any]:
        """The record as a snapshot stores it."""
        return {
            "id": self.id,
            "seq": self.seq,
            "scope": self.scope.value,
            "kind": self.kind.value,
            "amount": {"minor": self.amount.minor, "currency": self.amount.currency},
            "validFrom": self.valid_from.isoformat(),
            "validTo": self.valid_to.isoformat() if self.valid_to else None,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> LimitRecord:
        """Inverse of to_json."""
        return cls(
            str(raw["id"]),
            int(raw["seq"]),
            LimitScope(raw["scope"]),
            LimitKind(raw["kind"]),
            Money(int(raw["amount"]["minor"]), str(raw["amount"]["currency"])),
            date.fromisoformat(raw["validFrom"]),
            date.fromisoformat(raw["validTo"]) if raw.get("validTo") else None,
        )


@dataclass(frozen=True, slots=True)
class LimitInForce:
    """The standard limit on a date (possibly expired) and the increases running then."""

    standard: LimitRecord | None
    increases: tuple[LimitRecord, ...]
    expired: bool


def _precedence(record: LimitRecord, as_of: date) -> tuple[date, int]:
    """Rank standard records started by `as_of`: every one valid then ranks as `as_of` (so the
    newest valid wins), a lapsed one by its end (so the latest-ending wins among lapsed)."""
    end = record.valid_to if record.valid_to is not None and record.valid_to < as_of else as_of
    return end, record.seq


def in_force(records: Iterable[LimitRecord], as_of: date) -> LimitInForce:
    """The newest standard record whose dates cover `as_of`; when none does, the one that
    ended last, expired (a back-dated limit never displaces a valid one); and the temporary
    increases whose dates cover `as_of`. SQL twins: credit_exposure, warning_facts, expiry."""
    standard: LimitRecord | None = None
    increases = []
    for record in records:
        if record.valid_from > as_of:
            continue
        if record.kind == LimitKind.STANDARD:
            if standard is None or _precedence(record, as_of) > _precedence(standard, as_of):
                standard = record
        elif record.valid_to is not None and as_of <= record.valid_to:
            increases.append(record)
    expired = standard is not None and standard.valid_to is not None and standard.valid_to < as_of
    return LimitInForce(standard, tuple(sorted(increases, key=lambda r: r.seq)), expired)


def validate_request(
    amount: Money | Decimal | None,
    kind: LimitKind | None,
    valid_from: date,
    valid_to: date | None,
    note: str | None,
    *,
    today: date,
    found: Sequence[DomainError] = (),
) -> str | None:
    """Check a limit request; returns the cleaned note or raises every problem at once, with
    those `found` before (an amount whose currency is unknown arrives as its bare decimal; an
    amount or kind that did not parse arrives as None)."""
    errors: list[DomainError] = list(found)
    if amount is not None:
        errors += _amount_errors(amount, kind)
    errors += _period_errors(kind, valid_from, valid_to, today)
    text = clean_text(note, "note", MAX_NOTE, errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    return text


def _amount_errors(amount: Money | Decimal, kind: LimitKind | None) -> list[DomainError]:
    """A limit is zero or more, an increase above zero; neither above the ceiling every job
    can carry (the one a document has, in minor units: known only with the currency)."""
    errors = []
    value = amount.minor if isinstance(amount, Money) else amount
    if value < 0:
        errors.append(DomainError("NEGATIVE_AMOUNT", "a limit cannot be negative", "amount.amount"))
    if kind == LimitKind.TEMPORARY and value == 0:
        errors.append(
            DomainError("AMOUNT_NOT_POSITIVE", "an increase must be above zero", "amount.amount")
        )
    if isinstance(amount, Money) and (too_large := document_amount_error(amount, "amount.amount")):
        errors.append(too_large)
    return errors


def _period_errors(
    kind: LimitKind | None, valid_from: date, valid_to: date | None, today: date
) -> list[DomainError]:
    """Dates in range, an end not before the start nor before today (a limit that has already
    ended would only be filed to be expired), an increase's end within a year."""
    errors = []
    for value, field in ((valid_from, "validFrom"), (valid_to, "validTo")):
        if (bad := date_error(value, field)) is not None:
            errors.append(bad)
    if valid_to is not None and valid_to < valid_from:
        errors.append(DomainError("INVALID_PERIOD", "ends before it starts", "validTo"))
    elif valid_to is not None and valid_to < today and date_error(valid_to, "validTo") is None:
        errors.append(
            DomainError("INVALID_PERIOD", f"ended on {valid_to}, before today ({today})", "validTo")
        )
    if kind == LimitKind.TEMPORARY:
        if valid_to is None:
            errors.append(DomainError("REQUIRED", "a temporary increase needs an end", "validTo"))
        elif (valid_to - valid_from).days > MAX_TEMPORARY_DAYS:
            errors.append(
                DomainError(
                    "INVALID_PERIOD", f"at most {MAX_TEMPORARY_DAYS} days; else a limit", "validTo"
                )
            )
    return errors


@dataclass(frozen=True, slots=True)
class Requirement:
    """What approval a limit request needs: a tier, the roles that may give it, how many."""

    tier: ApprovalTier
    roles: frozenset[str]
    count: int


#: Who may give each tier's approvals (a manager may always do an analyst's), and how many.
TIER_ROLES: dict[ApprovalTier, tuple[frozenset[str], int]] = {
    ApprovalTier.ANALYST: (frozenset({CREDIT_ANALYST, CREDIT_MANAGER}), 1),
    ApprovalTier.MANAGER: (frozenset({CREDIT_MANAGER}), 1),
    ApprovalTier.TWO_MANAGERS: (frozenset({CREDIT_MANAGER}), 2),
}


def tier_requirement(tier: ApprovalTier) -> Requirement:
    """The roles and number of approvals a tier needs."""
    roles, count = TIER_ROLES[tier]
    return Requirement(tier, roles, count)


def requirement(amount_in_base: Money, matrix: ApprovalMatrix) -> Requirement:
    """The tenant matrix: up to X an analyst (or a manager), up to Y a manager, above it two
    managers; amounts in the base currency."""
    major = Decimal(amount_in_base.minor).scaleb(-minor_units(amount_in_base.currency))
    if major <= matrix.analyst_up_to:
        return tier_requirement(ApprovalTier.ANALYST)
    if major <= matrix.manager_up_to:
        return tier_requirement(ApprovalTier.MANAGER)
    return tier_requirement(ApprovalTier.TWO_MANAGERS)


def check_approval(
    requester: str,
    approver: str,
    approver_roles: frozenset[str],
    needed: Requirement,
    given: Sequence[str],
    granted_by: str | None = None,
) -> str:
    """Four eyes: the approver is not the requester nor an earlier approver, nor the manager
    whose application decision granted the limit (whoever filed it: a re-filed grant too),
    holds a role the tier allows, and an approval is still missing. Returns the role the
    approval counts as."""
    if approver == requester:
        raise DomainError("SELF_APPROVAL", "the requester cannot approve their own request", "id")
    if granted_by is not None and approver == granted_by:
        raise DomainError(
            "SELF_APPROVAL",
            "you granted this limit in the credit application's decision: another person "
            "approves it",
            "id",
        )
    if approver in given:
        raise DomainError("SAME_APPROVER", "two approvals need two different people", "id")
    if len(given) >= needed.count:
        raise DomainError("ALREADY_APPROVED", "every required approval is given", "id")
    roles = sorted(needed.roles & approver_roles)
    if not roles:
        raise DomainError(
            "NOT_AN_APPROVER",
            f"a {needed.tier.value.lower().replace('_', ' ')} limit needs "
            f"{' or '.join(sorted(needed.roles))}",
            "id",
        )
    return CREDIT_MANAGER if CREDIT_MANAGER in roles else roles[0]


def credit_days(terms: PaymentTerms) -> int:
    """How long an invoice stays unpaid under agreed terms, on average (days)."""
    if terms.kind == TermsKind.NET:
        return terms.net_days
    if terms.kind == TermsKind.END_OF_MONTH:
        return END_OF_MONTH_AVERAGE_DAYS + terms.eom_plus_days
    weighted = sum((i.percent * i.offset_days for i in terms.instalments), Decimal(0))
    return int((weighted / 100).to_integral_value(ROUND_DOWN))


@dataclass(frozen=True, slots=True)
class RecommendationInputs:
    """What the recommended limit is computed from (all a snapshot needs)."""

    currency: str
    registered_capital: Money | None
    annual_sales: Money | None
    rating_class: str | None
    terms_days: int


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The recommended limit, each basis with its conversion, and what was missing."""

    amount: Money | None
    capital_basis: Money | None
    sales_basis: Money | None
    capital: Conversion | None
    sales: Conversion | None
    factor: Decimal | None
    missing: tuple[str, ...]


def _scaled(amount: Money, share: Decimal) -> Money:
    return Money(
        int((Decimal(amount.minor) * share).to_integral_value(ROUND_DOWN)), amount.currency
    )


def recommend(
    inputs: RecommendationInputs,
    formula: LimitFormula,
    class_policy: ClassPolicy | None,
    base_currency: str,
    book: RateBook,
) -> Recommendation:
    """Seed 002's inputs (registered capital, annual sales) through the tenant's formula:

    capital basis = registered capital x capitalShare;
    sales basis = annual sales x salesShare x agreed credit days / 365 (what the customer
    turns over while an invoice of ours is open);
    recommended = the smaller basis (the one present, if only one is) x the class's limit
    factor, capped at the class's maximum (base currency), rounded down to `roundTo`.
    Missing capital and sales, or no class, give no amount and say what is missing.
    """
    missing: list[str] = []
    capital = sales = None
    capital_basis = sales_basis = None
    if inputs.registered_capital is None:
        missing.append("registeredCapital")
    else:
        capital = book.convert(inputs.registered_capital, inputs.currency, "currency")
        capital_basis = _scaled(capital.amount, formula.capital_share)
    if inputs.annual_sales is None:
        missing.append("annualSales")
    else:
        sales = book.convert(inputs.annual_sales, inputs.currency, "currency")
        period = Decimal(inputs.terms_days) / Decimal(365)
        sales_basis = _scaled(sales.amount, formula.sales_share * period)
    if class_policy is None:
        missing.append("ratingClass")
    bases = [b for b in (capital_basis, sales_basis) if b is not None]
    if not bases or class_policy is None:
        return Recommendation(
            None, capital_basis, sales_basis, capital, sales, None, tuple(missing)
        )
    base = min(bases, key=lambda m: m.minor)
    amount = _scaled(base, class_policy.limit_factor)
    digits = minor_units(inputs.currency)
    if class_policy.max_limit is not None:
        base_digits = minor_units(base_currency)
        cap_minor = int(class_policy.max_limit.scaleb(base_digits).to_integral_value(ROUND_DOWN))
        cap = book.convert(Money(cap_minor, base_currency), inputs.currency, "currency").amount
        amount = Money(min(amount.minor, cap.minor), inputs.currency)
    step = int(formula.round_to.scaleb(digits).to_integral_value(ROUND_DOWN)) or 1
    amount = Money(amount.minor - amount.minor % step, inputs.currency)
    return Recommendation(
        amount,
        capital_basis,
        sales_basis,
        capital,
        sales,
        class_policy.limit_factor,
        tuple(missing),
    )


def _money_json(value: Money | None) -> dict[str, Any] | None:
    return None if value is None else {"minor": value.minor, "currency": value.currency}


def inputs_json(inputs: RecommendationInputs) -> dict[str, Any]:
    """A recommendation's inputs as a snapshot stores them."""
    return {
        "currency": inputs.currency,
        "registeredCapital": _money_json(inputs.registered_capital),
        "annualSales": _money_json(inputs.annual_sales),
        "ratingClass": inputs.rating_class,
        "termsDays": inputs.terms_days,
    }


def recommendation_json(inputs: RecommendationInputs, result: Recommendation) -> dict[str, Any]:
    """Inputs and result of a recommendation, as a snapshot stores them."""
    return {
        "inputs": inputs_json(inputs),
        "amount": _money_json(result.amount),
        "capitalBasis": _money_json(result.capital_basis),
        "salesBasis": _money_json(result.sales_basis),
        "factor": None if result.factor is None else str(result.factor),
        "missing": list(result.missing),
    }


def inputs_from_json(raw: Mapping[str, Any]) -> RecommendationInputs:
    """Inverse of inputs_json."""

    def money(value: Mapping[str, Any] | None) -> Money | None:
        return None if value is None else Money(int(value["minor"]), str(value["currency"]))

    return RecommendationInputs(
        str(raw["currency"]),
        money(raw["registeredCapital"]),
        money(raw["annualSales"]),
        raw["ratingClass"],
        int(raw["termsDays"]),
    )


def expiry_outcome(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A limit's expiry recomputed: the record and the sweep's date say whether it lapsed."""
    record = LimitRecord.from_json(snapshot["limit"])
    as_of = date.fromisoformat(snapshot["asOf"])
    lapsed = record.valid_to is not None and record.valid_to < as_of
    return {"status": "EXPIRED" if lapsed else "IN_FORCE", "limitId": record.id}
