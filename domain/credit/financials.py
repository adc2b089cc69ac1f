"""Financial statements: the key lines of the Chinese accounting standards, checked and scaled.

Figures arrive as decimal strings in the unit the statement is written in (元, 千元, 万元)
and are kept as integer minor units of the statement's currency, so 1.5 万元 is exactly
15,000.00 CNY. A statement whose balance sheet does not balance is refused; negative equity
is a fact about the customer, accepted and flagged. A period must have ended by the caller's
today, and its length must fit its kind: an annual statement covers a year, an interim one less.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from domain.credit.dates import check_date
from domain.currencies import is_currency, minor_units
from domain.errors import DomainError, ValidationFailed


class PeriodKind(StrEnum):
    """A full financial year, or part of one (half-year, quarter)."""

    ANNUAL = "ANNUAL"
    INTERIM = "INTERIM"


class StatementSource(StrEnum):
    """Who stands behind the figures; audited ones are preferred when a period has several."""

    AUDITED = "AUDITED"
    TAX_FILING = "TAX_FILING"
    MANAGEMENT = "MANAGEMENT"


#: When one period has statements from several sources, analysis uses the most reliable.
SOURCE_RANK = {
    StatementSource.AUDITED: 0,
    StatementSource.TAX_FILING: 1,
    StatementSource.MANAGEMENT: 2,
}


class Unit(StrEnum):
    """The unit a statement's figures are written in: 元, 千元 or 万元."""

    YUAN = "YUAN"
    THOUSAND = "THOUSAND"
    TEN_THOUSAND = "TEN_THOUSAND"


UNIT_FACTOR = {Unit.YUAN: 1, Unit.THOUSAND: 1_000, Unit.TEN_THOUSAND: 10_000}


class Line(StrEnum):
    """The key lines: balance sheet, income statement and cash flow."""

    CASH = "CASH"  # 货币资金
    RECEIVABLES = "RECEIVABLES"  # 应收账款
    INVENTORY = "INVENTORY"  # 存货
    CURRENT_ASSETS = "CURRENT_ASSETS"  # 流动资产合计
    TOTAL_ASSETS = "TOTAL_ASSETS"  # 资产总计
    CURRENT_LIABILITIES = "CURRENT_LIABILITIES"  # 流动负债合计
    TOTAL_LIABILITIES = "TOTAL_LIABILITIES"  # 负债合计
    EQUITY = "EQUITY"  # 所有者权益合计
    RETAINED_EARNINGS = "RETAINED_EARNINGS"  # 未分配利润
    REVENUE = "REVENUE"  # 营业收入
    COST_OF_SALES = "COST_OF_SALES"  # 营业成本
    EBIT = "EBIT"  # 息税前利润
    PROFIT_BEFORE_TAX = "PROFIT_BEFORE_TAX"  # 利润总额
    INTEREST_EXPENSE = "INTEREST_EXPENSE"  # 利息费用
    NET_PROFIT = "NET_PROFIT"  # 净利润
    OPERATING_CASH_FLOW = "OPERATING_CASH_FLOW"  # 经营活动产生的现金流量净额


#: Each line's caption on a Chinese statement (企业会计准则 formats): the column names of a
#: statement exported from Chinese accounting software.
LINE_CAPTIONS: dict[Line, str] = {
    Line.CASH: "货币资金",
    Line.RECEIVABLES: "应收账款",
    Line.INVENTORY: "存货",
    Line.CURRENT_ASSETS: "流动资产合计",
    Line.TOTAL_ASSETS: "资产总计",
    Line.CURRENT_LIABILITIES: "流动负债合计",
    Line.TOTAL_LIABILITIES: "负债合计",
    Line.EQUITY: "所有者权益合计",
    Line.RETAINED_EARNINGS: "未分配利润",
    Line.REVENUE: "营业收入",
    Line.COST_OF_SALES: "营业成本",
    Line.EBIT: "息税前利润",
    Line.PROFIT_BEFORE_TAX: "利润总额",
    Line.INTEREST_EXPENSE: "利息费用",
    Line.NET_PROFIT: "净利润",
    Line.OPERATING_CASH_FLOW: "经营活动产生的现金流量净额",
}
#: A unit as a Chinese statement heads its figures (单位：万元).
UNIT_CAPTIONS: dict[str, Unit] = {"元": Unit.YUAN, "千元": Unit.THOUSAND, "万元": Unit.TEN_THOUSAND}

#: Lines that may be negative (a loss, negative equity, accumulated deficit, cash outflow).
SIGNED_LINES = frozenset(
    {
        Line.EQUITY,
        Line.RETAINED_EARNINGS,
        Line.EBIT,
        Line.PROFIT_BEFORE_TAX,
        Line.NET_PROFIT,
        Line.OPERATING_CASH_FLOW,
    }
)
#: A statement without these cannot be balanced or analysed at all.
REQUIRED_LINES = (Line.TOTAL_ASSETS, Line.TOTAL_LIABILITIES, Line.EQUITY)

#: Assets may differ from liabilities plus equity by 0.1% of total assets: statements rounded
#: to 千元 or 万元 line by line rarely add up to the last unit, but a larger gap is a typing error.
BALANCE_TOLERANCE = Decimal("0.001")
#: ... and never by less than two of the statement's own units (rounding of two subtotals).
BALANCE_TOLERANCE_UNITS = 2
MAX_MINOR = 2**63 - 1
#: No statement covers more than a year: 366 days, both ends included (a leap year).
MAX_PERIOD_DAYS = 366
#: An annual statement covers a financial year: 365 or 366 days, or a week less (a 52-week
#: year of 364 days, a year end moved by a few days); anything shorter is an interim period,
#: whose flows analysis annualises, so the two kinds never overlap.
ANNUAL_MIN_DAYS = 358


@dataclass(frozen=True)
class Statement:
    """One checked statement: figures in minor units of `currency`; absent lines are None."""

    period_start: date
    period_end: date
    kind: PeriodKind
    source: StatementSource
    currency: str
    unit: Unit
    lines: dict[Line, int | None] = field(default_factory=dict)

    def get(self, line: Line) -> int | None:
        """A line's amount in minor units, None when not given."""
        return self.lines.get(line)

    @property
    def days(self) -> int:
        """Days the period covers, both ends included (365 or 366 for a calendar year)."""
        return (self.period_end - self.period_start).days + 1

    @property
    def negative_equity(self) -> bool:
        """Liabilities exceed assets: accepted, but flagged for whoever reads the analysis."""
        equity = self.get(Line.EQUITY)
        return equity is not None and equity < 0

    @property
    def ebit(self) -> int | None:
        """EBIT as given, else profit before tax plus interest expense."""
        given = self.get(Line.EBIT)
        if given is not None:
            return given
        pbt, interest = self.get(Line.PROFIT_BEFORE_TAX), self.get(Line.INTEREST_EXPENSE)
        if pbt is None or interest is None:
            return None
        return pbt + interest


@dataclass(frozen=True)
class LineIn:
    """A line as submitted: a decimal string in the statement's unit, and optionally the
    currency the submitter thinks it is in (refused when it is not the statement's)."""

    line: str
    amount: str
    currency: str | None = None


@dataclass(frozen=True)
class StatementIn:
    """A statement as submitted."""

    period_start: date
    period_end: date
    kind: str
    source: str
    currency: str
    unit: str
    lines: tuple[LineIn, ...]


def scale_to_minor(amount: str, unit: Unit, currency: str, field: str) -> int:
    """A decimal string in 元/千元/万元 as exact minor units; refuses floats' cousins and
    more precision than the currency's minor unit can hold."""
    text = (amount or "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError("INVALID_AMOUNT", f"{amount!r} is not a decimal number", field) from None
    if not value.is_finite() or "e" in text.lower():
        raise DomainError("INVALID_AMOUNT", f"{amount!r} is not a plain decimal number", field)
    scaled = value * UNIT_FACTOR[unit] * (10 ** minor_units(currency))
    if scaled != scaled.to_integral_value():
        raise DomainError("INVALID_AMOUNT", f"finer than one minor unit of {currency}", field)
    minor = int(scaled)
    if abs(minor) > MAX_MINOR:
        raise DomainError("INVALID_AMOUNT", "amount is out of range", field)
    return minor


def _enum(cls: type[StrEnum], raw: str, field: str, errors: list[DomainError]) -> StrEnum | None:
    try:
        return cls((raw or "").strip().upper())
    except ValueError:
        errors.append(
            DomainError("INVALID_KIND", f"one of {', '.join(m.value for m in cls)}", field)
        )
        return None


def _lines(
    data: StatementIn, unit: Unit, currency: str, errors: list[DomainError]
) -> tuple[dict[Line, int | None], set[Line]]:
    """Parsed lines, and every line named (even one whose amount was refused)."""
    lines: dict[Line, int | None] = {}
    named: set[Line] = set()
    for n, item in enumerate(data.lines):
        key = _enum(Line, item.line, f"lines.{n}.line", errors)
        if key is None:
            continue
        line = Line(key)
        if line in named:
            errors.append(DomainError("DUPLICATE_LINE", f"{line} given twice", f"lines.{n}.line"))
            continue
        named.add(line)
        given = (item.currency or "").strip().upper()
        if given and given != currency:
            errors.append(
                DomainError(
                    "CURRENCY_MISMATCH",
                    f"the statement is in {currency}, this line in {given}",
                    f"lines.{n}.currency",
                )
            )
            continue
        try:
            minor = scale_to_minor(item.amount, unit, currency, f"lines.{n}.amount")
        except DomainError as exc:
            errors.append(exc)
            continue
        if minor < 0 and line not in SIGNED_LINES:
            errors.append(
                DomainError("NEGATIVE_AMOUNT", f"{line} cannot be negative", f"lines.{n}.amount")
            )
            continue
        lines[line] = minor
    return lines, named


def _consistency(stmt: Statement) -> list[DomainError]:
    """Parts never exceed their totals; the balance sheet balances within the tolerance."""
    errors: list[DomainError] = []
    pairs = (
        (Line.CURRENT_ASSETS, Line.TOTAL_ASSETS),
        (Line.CURRENT_LIABILITIES, Line.TOTAL_LIABILITIES),
        (Line.CASH, Line.CURRENT_ASSETS),
        (Line.RECEIVABLES, Line.CURRENT_ASSETS),
        (Line.INVENTORY, Line.CURRENT_ASSETS),
    )
    for part, whole in pairs:
        a, b = stmt.get(part), stmt.get(whole)
        if a is not None and b is not None and a > b:
            errors.append(DomainError("INCONSISTENT_LINES", f"{part} exceeds {whole}", "lines"))
    assets, liabilities, equity = (stmt.get(line) for line in REQUIRED_LINES)
    if assets is not None and liabilities is not None and equity is not None:
        gap = abs(assets - (liabilities + equity))
        unit_minor = UNIT_FACTOR[stmt.unit] * 10 ** minor_units(stmt.currency)
        allowed = max(
            Decimal(assets) * BALANCE_TOLERANCE, Decimal(unit_minor * BALANCE_TOLERANCE_UNITS)
        )
        if gap > allowed:
            errors.append(
                DomainError(
                    "UNBALANCED_STATEMENT",
                    "total assets differ from total liabilities plus equity by more than "
                    f"the tolerance ({(BALANCE_TOLERANCE * 100).normalize()}% of total assets)",
                    "lines",
                )
            )
    return errors


def _period(
    start: date, end: date, kind: PeriodKind | None, today: date, errors: list[DomainError]
) -> None:
    """Figures exist only for a period that has ended, and its length must fit its kind (an
    "annual" quarter would be read as a whole year's flows)."""
    dated = True
    for value, name in ((start, "periodStart"), (end, "periodEnd")):
        try:
            check_date(value, name)
        except DomainError as exc:
            errors.append(exc)
            dated = False
    if not dated:
        return
    if end > today:
        errors.append(
            DomainError(
                "FUTURE_DATE", f"the period has not ended yet (today is {today})", "periodEnd"
            )
        )
    if end < start:
        errors.append(
            DomainError("INVALID_PERIOD", "the period ends before it starts", "periodEnd")
        )
        return
    days = (end - start).days + 1
    if days > MAX_PERIOD_DAYS:
        why = f"a period covers at most a year ({MAX_PERIOD_DAYS} days), this one {days}"
    elif kind == PeriodKind.ANNUAL and days < ANNUAL_MIN_DAYS:
        why = f"an annual period covers a year ({ANNUAL_MIN_DAYS}-{MAX_PERIOD_DAYS} days), "
        why += f"this one {days}: record it as INTERIM"
    elif kind == PeriodKind.INTERIM and days >= ANNUAL_MIN_DAYS:
        why = f"an interim period covers less than a year (under {ANNUAL_MIN_DAYS} days), "
        why += f"this one {days}: record it as ANNUAL"
    else:
        return
    errors.extend(DomainError("INVALID_PERIOD", why, f) for f in ("periodStart", "periodEnd"))


def check_statement(data: StatementIn, today: date) -> Statement:
    """The checked statement in minor units, or every problem at once (ValidationFailed);
    `today` is the caller's business date, after which no period can have ended."""
    errors: list[DomainError] = []
    kind_errors: list[DomainError] = []
    kind = _enum(PeriodKind, data.kind, "kind", kind_errors)
    period_kind = None if kind is None else PeriodKind(kind)
    _period(data.period_start, data.period_end, period_kind, today, errors)
    errors.extend(kind_errors)
    source = _enum(StatementSource, data.source, "source", errors)
    unit = _enum(Unit, data.unit, "unit", errors)
    currency = (data.currency or "").strip().upper()
    if not is_currency(currency):
        errors.append(
            DomainError("UNKNOWN_CURRENCY", f"{data.currency!r} is not ISO 4217", "currency")
        )
    if errors or kind is None or source is None or unit is None:
        raise ValidationFailed(errors)
    if len(data.lines) > len(Line):
        raise DomainError("TOO_MANY", f"at most {len(Line)} lines", "lines")
    lines, named = _lines(data, Unit(unit), currency, errors)
    for required in REQUIRED_LINES:
        if required not in named:
            errors.append(DomainError("REQUIRED", f"{required} is required", "lines"))
    if errors:
        raise ValidationFailed(errors)
    stmt = Statement(
        period_start=data.period_start,
        period_end=data.period_end,
        kind=PeriodKind(kind),
        source=StatementSource(source),
        currency=currency,
        unit=Unit(unit),
        lines=lines,
    )
    problems = _consistency(stmt)
    if problems:
        raise ValidationFailed(problems)
    return stmt
