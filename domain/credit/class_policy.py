"""The tenant's credit policy: per class A-D, and the thresholds the credit check applies.

The defaults are the source practice (Chinese trade-credit guides): four classes, A on
generous terms, B standard, C shorter terms and close tracking, D cash before delivery (seed
002); limits set from capital, sales and standing, with prepayment above the limit (seed
002); periodic reviews (seed 003). A tenant overrides any value; null restores the default.
Overrides are stored in camelCase keys, like the receivables policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from domain.credit_file import RelationKind
from domain.currencies import is_currency
from domain.errors import DomainError, ValidationFailed

RATING_CLASSES = ("A", "B", "C", "D")


class OrderHandling(StrEnum):
    """How orders of a class's customers are treated at the credit check."""

    STANDARD = "STANDARD"
    CLOSE_TRACKING = "CLOSE_TRACKING"
    PREPAYMENT = "PREPAYMENT"


class Security(StrEnum):
    """Security a class's customers must give before trading on credit."""

    NONE = "NONE"
    THIRD_PARTY_GUARANTEE = "THIRD_PARTY_GUARANTEE"
    BANK_GUARANTEE = "BANK_GUARANTEE"
    COLLATERAL = "COLLATERAL"


@dataclass(frozen=True, slots=True)
class ClassPolicy:
    """What a rating class means for terms, limits, reviews, orders and security."""

    rating_class: str
    payment_terms_code: str
    limit_factor: Decimal
    max_limit: Decimal | None
    review_interval_months: int
    order_handling: OrderHandling
    review_above_utilisation: Decimal | None
    reminder_days_before_due: int | None
    required_security: Security


#: seed 002: A generous terms, B standard, C shorter terms and close tracking, D cash before
#: delivery (现款现货); terms point at the class templates (A 60, B 30, C 15, D 0 days);
#: limit factors follow seed 003 §3.1 (a higher class earns a higher limit; the figures are
#: the platform's); review every 12/6/3/1 months (seed 003 §5 periodic review, seed 002
#: monthly re-grading for the weakest); C is reminded 14 days before due instead of the
#: practice's 7, since it needs closer tracking; security per seed 004 §3.2 (a guarantee for
#: weaker customers, a bank guarantee before a D customer gets any credit).
DEFAULT_CLASSES: dict[str, ClassPolicy] = {
    "A": ClassPolicy(
        "A", "CLASS_A", Decimal("1.00"), None, 12, OrderHandling.STANDARD, None, None,
        Security.NONE,
    ),
    "B": ClassPolicy(
        "B", "CLASS_B", Decimal("0.70"), None, 6, OrderHandling.STANDARD, None, None,
        Security.NONE,
    ),
    "C": ClassPolicy(
        "C", "CLASS_C", Decimal("0.40"), None, 3, OrderHandling.CLOSE_TRACKING,
        Decimal("0.80"), 14, Security.THIRD_PARTY_GUARANTEE,
    ),
    "D": ClassPolicy(
        "D", "CLASS_D", Decimal("0.00"), None, 1, OrderHandling.PREPAYMENT, None, None,
        Security.BANK_GUARANTEE,
    ),
}  # fmt: skip

#: common practice in the source: limits and thresholds are in renminbi (the seeds are
#: Chinese practice); a tenant trading in another currency sets its own.
DEFAULT_BASE_CURRENCY = "CNY"
#: seed 002: from 31 days overdue a credit specialist takes the account over, so a new order
#: waits for a person's review.
DEFAULT_OVERDUE_REVIEW_DAYS = 30
#: seed 002: beyond 90 days overdue legal proceedings start; such an account gets no credit.
DEFAULT_OVERDUE_BLOCK_DAYS = 90
#: seed 003 §1.1 wants the file (financials, credit record) before credit is granted; off by
#: default so a tenant switches it on once its files are kept, not overnight.
DEFAULT_REQUIRE_COMPLETE_DOSSIER = False
#: platform default (the seeds name the approval group, seed 003 §1.2, not amounts): up to
#: 100,000.00 in the base currency a credit analyst approves a limit.
DEFAULT_ANALYST_UP_TO = Decimal("100000.00")
#: platform default: up to 1,000,000.00 a credit manager; above it two credit managers.
DEFAULT_MANAGER_UP_TO = Decimal("1000000.00")
#: seed 002 sets a limit from registered capital and annual sales (注册资本规模、年销售额度);
#: the shares are the platform's: at most a fifth of the registered capital ...
DEFAULT_CAPITAL_SHARE = Decimal("0.20")
#: ... and a tenth of what the customer turns over during its agreed credit period.
DEFAULT_SALES_SHARE = Decimal("0.10")
#: platform default: a recommended limit is rounded down to whole thousands.
DEFAULT_ROUND_TO = Decimal("1000")
#: platform default: ownership links make related customers one risk (关联企业); trading
#: partners and guarantors do not.
DEFAULT_GROUP_KINDS: tuple[str, ...] = ("PARENT", "SUBSIDIARY", "SHAREHOLDER")

TOP_KEYS = (
    "baseCurrency",
    "overdueReviewDays",
    "overdueBlockDays",
    "requireCompleteDossier",
    "approvalMatrix",
    "limitFormula",
    "groupRelationKinds",
    "classes",
)
CLASS_KEYS = (
    "paymentTermsCode",
    "limitFactor",
    "maxLimit",
    "reviewIntervalMonths",
    "orderHandling",
    "reviewAboveUtilisation",
    "reminderDaysBeforeDue",
    "requiredSecurity",
)


@dataclass(frozen=True, slots=True)
class ApprovalMatrix:
    """Who approves a limit, by its amount in the base currency."""

    analyst_up_to: Decimal
    manager_up_to: Decimal


@dataclass(frozen=True, slots=True)
class LimitFormula:
    """The recommended limit's parameters (see domain.credit.limits.recommend)."""

    capital_share: Decimal
    sales_share: Decimal
    round_to: Decimal


@dataclass(frozen=True, slots=True)
class CreditPolicy:
    """The effective policy: the stored overrides over the practice's defaults."""

    version: int
    base_currency: str
    overdue_review_days: int
    overdue_block_days: int
    require_complete_dossier: bool
    approval: ApprovalMatrix
    formula: LimitFormula
    group_relation_kinds: tuple[str, ...]
    classes: tuple[ClassPolicy, ...]
    overridden: tuple[str, ...] = ()

    def for_class(self, rating_class: str) -> ClassPolicy:
        """The policy of one class."""
        return next(c for c in self.classes if c.rating_class == rating_class)


def _decimal(value: Any, field: str, low: Decimal, high: Decimal | None) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("INVALID_POLICY", f"{value!r} is not a decimal number", field) from None
    if not number.is_finite() or "e" in str(value).lower():
        raise DomainError("INVALID_POLICY", "a plain decimal number", field)
    if number < low or (high is not None and number > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise DomainError("INVALID_POLICY", limit, field)
    return number


def _int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DomainError("INVALID_POLICY", f"a whole number between {low} and {high}", field)
    return value


def _enum(kind: type[StrEnum], value: Any, field: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(kind.__members__)
        raise DomainError("INVALID_POLICY", f"one of {allowed}", field) from None


def _class(base: ClassPolicy, raw: Mapping[str, Any], prefix: str) -> ClassPolicy:
    errors: list[DomainError] = []
    values: dict[str, Any] = {}

    def take(key: str, attr: str, parse: Any) -> None:
        if raw.get(key) is None:
            return
        try:
            values[attr] = parse(raw[key], f"{prefix}.{key}")
        except DomainError as exc:
            errors.append(exc)

    def terms_code(value: Any, field: str) -> str:
        code = str(value).strip().upper()
        if not code or len(code) > 64:
            raise DomainError("INVALID_POLICY", "a terms code of 1-64 characters", field)
        return code

    take("paymentTermsCode", "payment_terms_code", terms_code)
    take("limitFactor", "limit_factor", lambda v, f: _decimal(v, f, Decimal(0), Decimal(5)))
    take("maxLimit", "max_limit", lambda v, f: _decimal(v, f, Decimal(0), None))
    take("reviewIntervalMonths", "review_interval_months", lambda v, f: _int(v, f, 1, 36))
    take("orderHandling", "order_handling", lambda v, f: _enum(OrderHandling, v, f))
    take(
        "reviewAboveUtilisation",
        "review_above_utilisation",
        lambda v, f: _decimal(v, f, Decimal(0), Decimal(1)),
    )
    take("reminderDaysBeforeDue", "reminder_days_before_due", lambda v, f: _int(v, f, 0, 60))
    take("requiredSecurity", "required_security", lambda v, f: _enum(Security, v, f))
    for key in raw:
        if key not in CLASS_KEYS:
            errors.append(DomainError("INVALID_POLICY", f"unknown setting {key!r}", prefix))
    if errors:
        raise ValidationFailed(errors)
    return replace(base, **values)


def effective(overrides: Mapping[str, Any], version: int = 0) -> CreditPolicy:
    """The stored overrides over the defaults, checked as a whole; every problem at once."""
    errors: list[DomainError] = []

    def attempt(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
        except DomainError as exc:
            errors.append(exc)
        return None

    def value(key: str, parse: Any, default: Any) -> Any:
        if overrides.get(key) is None:
            return default
        parsed = attempt(parse, overrides[key], key)
        return default if parsed is None else parsed

    def currency(v: Any, field: str) -> str:
        if not is_currency(str(v)):
            raise DomainError("UNKNOWN_CURRENCY", f"{v!r} is not ISO 4217", field)
        return str(v)

    def kinds(v: Any, field: str) -> tuple[str, ...]:
        items = tuple(str(k) for k in v)
        unknown = [k for k in items if k not in RelationKind.__members__]
        if unknown or len(set(items)) != len(items):
            raise DomainError("INVALID_POLICY", "distinct partner-link kinds", field)
        return items

    def flag(v: Any, field: str) -> bool:
        if not isinstance(v, bool):
            raise DomainError("INVALID_POLICY", "true or false", field)
        return v

    raw_matrix = overrides.get("approvalMatrix") or {}
    raw_formula = overrides.get("limitFormula") or {}
    approval = ApprovalMatrix(
        value_in(raw_matrix, "analystUpTo", "approvalMatrix", DEFAULT_ANALYST_UP_TO, attempt),
        value_in(raw_matrix, "managerUpTo", "approvalMatrix", DEFAULT_MANAGER_UP_TO, attempt),
    )
    formula = LimitFormula(
        value_in(raw_formula, "capitalShare", "limitFormula", DEFAULT_CAPITAL_SHARE, attempt, ONE),
        value_in(raw_formula, "salesShare", "limitFormula", DEFAULT_SALES_SHARE, attempt, ONE),
        value_in(raw_formula, "roundTo", "limitFormula", DEFAULT_ROUND_TO, attempt),
    )
    raw_classes = overrides.get("classes") or {}
    classes = []
    for rating in RATING_CLASSES:
        stored = raw_classes.get(rating)
        parsed = (
            attempt(_class, DEFAULT_CLASSES[rating], stored, f"class{rating}") if stored else None
        )
        classes.append(parsed or DEFAULT_CLASSES[rating])
    policy = CreditPolicy(
        version=version,
        base_currency=value("baseCurrency", currency, DEFAULT_BASE_CURRENCY),
        overdue_review_days=value(
            "overdueReviewDays", lambda v, f: _int(v, f, 0, 3650), DEFAULT_OVERDUE_REVIEW_DAYS
        ),
        overdue_block_days=value(
            "overdueBlockDays", lambda v, f: _int(v, f, 0, 3650), DEFAULT_OVERDUE_BLOCK_DAYS
        ),
        require_complete_dossier=value(
            "requireCompleteDossier", flag, DEFAULT_REQUIRE_COMPLETE_DOSSIER
        ),
        approval=approval,
        formula=formula,
        group_relation_kinds=value("groupRelationKinds", kinds, DEFAULT_GROUP_KINDS),
        classes=tuple(classes),
        overridden=tuple(k for k in TOP_KEYS if overrides.get(k) is not None),
    )
    errors.extend(_consistency(policy))
    for key in overrides:
        if key not in TOP_KEYS:
            errors.append(DomainError("INVALID_POLICY", f"unknown setting {key!r}", key))
    if errors:
        raise ValidationFailed(errors)
    return policy


ONE = Decimal(1)


def value_in(
    raw: Mapping[str, Any],
    key: str,
    prefix: str,
    default: Decimal,
    attempt: Any,
    high: Decimal | None = None,
) -> Decimal:
    """A decimal sub-setting (matrix, formula): at least zero, at most `high` when given."""
    if raw.get(key) is None:
        return default
    parsed = attempt(_decimal, raw[key], f"{prefix}.{key}", Decimal(0), high)
    return default if parsed is None else Decimal(parsed)


def _consistency(policy: CreditPolicy) -> list[DomainError]:
    """Rules across settings: thresholds in order, classes not rewarding a worse grade."""
    errors = []
    if policy.overdue_review_days > policy.overdue_block_days:
        errors.append(
            DomainError(
                "INVALID_POLICY", "review must not start after the block", "overdueReviewDays"
            )
        )
    if policy.approval.analyst_up_to > policy.approval.manager_up_to:
        errors.append(
            DomainError(
                "INVALID_POLICY",
                "the analyst's authority cannot exceed the manager's",
                "approvalMatrix.analystUpTo",
            )
        )
    if policy.formula.round_to <= 0:
        errors.append(DomainError("INVALID_POLICY", "must be above zero", "limitFormula.roundTo"))
    for worse, better in zip(policy.classes[1:], policy.classes, strict=False):
        if worse.limit_factor > better.limit_factor:
            errors.append(
                DomainError(
                    "INVALID_POLICY",
                    f"class {worse.rating_class} cannot earn more than class {better.rating_class}",
                    f"class{worse.rating_class}.limitFactor",
                )
            )
    return errors


def merge(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """New overrides: a None value removes a key (restoring its default), nested for classes
    and for the matrix and formula; other values replace."""
    merged = {k: v for k, v in current.items()}
    for key, change in changes.items():
        if change is None:
            merged.pop(key, None)
        elif key in ("classes", "approvalMatrix", "limitFormula") and isinstance(change, Mapping):
            inner = dict(merged.get(key) or {})
            for sub, sub_change in change.items():
                if sub_change is None:
                    inner.pop(sub, None)
                elif key == "classes" and isinstance(sub_change, Mapping):
                    fields = dict(inner.get(sub) or {})
                    for name, field_value in sub_change.items():
                        if field_value is None:
                            fields.pop(name, None)
                        else:
                            fields[name] = field_value
                    if fields:
                        inner[sub] = fields
                    else:
                        inner.pop(sub, None)
                else:
                    inner[sub] = sub_change
            if inner:
                merged[key] = inner
            else:
                merged.pop(key, None)
        else:
            merged[key] = change
    return merged


def review_interval_months(policy: CreditPolicy, rating_class: str) -> int:
    """How often a class's customers are reviewed (Part A and the review jobs read this)."""
    return policy.for_class(rating_class).review_interval_months
