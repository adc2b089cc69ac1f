"""Financial statements: exact scaling from 元/千元/万元, balance check, flags; ratios; Z''."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.altman import Zone, altman_z, zone_of
from domain.credit.financials import (
    Line,
    LineIn,
    PeriodKind,
    Statement,
    StatementIn,
    StatementSource,
    Unit,
    check_statement,
    scale_to_minor,
)
from domain.credit.ratios import Ratio, latest, ratios, trends
from domain.errors import DomainError, ValidationFailed

YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))
TODAY = date(2026, 12, 2)


def statement_in(lines: dict[str, str], unit: str = "TEN_THOUSAND", **kw: object) -> StatementIn:
    start, end = kw.pop("period", YEAR_2025)  # type: ignore[misc]
    return StatementIn(
        period_start=start,  # type: ignore[arg-type]
        period_end=end,  # type: ignore[arg-type]
        kind=str(kw.pop("kind", "ANNUAL")),
        source=str(kw.pop("source", "AUDITED")),
        currency=str(kw.pop("currency", "CNY")),
        unit=unit,
        lines=tuple(LineIn(k, v, kw.get(f"{k}_currency")) for k, v in lines.items()),  # type: ignore[arg-type]
    )


#: A small trading company, in 万元: balanced, profitable, modest leverage.
HEALTHY = {
    "CASH": "120",
    "RECEIVABLES": "300",
    "INVENTORY": "180",
    "CURRENT_ASSETS": "650",
    "TOTAL_ASSETS": "1000",
    "CURRENT_LIABILITIES": "400",
    "TOTAL_LIABILITIES": "550",
    "EQUITY": "450",
    "RETAINED_EARNINGS": "200",
    "REVENUE": "2400",
    "COST_OF_SALES": "1800",
    "PROFIT_BEFORE_TAX": "110",
    "INTEREST_EXPENSE": "20",
    "NET_PROFIT": "82.5",
    "OPERATING_CASH_FLOW": "100",
}


def test_ten_thousand_yuan_scales_exactly_to_fen():
    assert scale_to_minor("1.5", Unit.TEN_THOUSAND, "CNY", "x") == 1_500_000
    assert scale_to_minor("0.01", Unit.YUAN, "CNY", "x") == 1
    assert scale_to_minor("12.345", Unit.THOUSAND, "CNY", "x") == 1_234_500
    assert scale_to_minor("3", Unit.THOUSAND, "JPY", "x") == 3000


def test_finer_than_a_minor_unit_or_float_notation_is_refused():
    for bad in ("0.001", "1e3", "NaN", "abc", ""):
        with pytest.raises(DomainError) as err:
            scale_to_minor(bad, Unit.YUAN, "CNY", "lines.0.amount")
        assert err.value.code == "INVALID_AMOUNT"


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(list(Unit)))
def test_scaling_is_exact_for_any_whole_fen(fen: int, unit: Unit):
    factor = {Unit.YUAN: 1, Unit.THOUSAND: 1000, Unit.TEN_THOUSAND: 10000}[unit]
    text = str(Decimal(fen) / Decimal(100 * factor))
    assert scale_to_minor(text, unit, "CNY", "x") == fen


def test_a_balanced_statement_is_kept_in_minor_units():
    stmt = check_statement(statement_in(HEALTHY), TODAY)
    assert stmt.get(Line.TOTAL_ASSETS) == 1_000_000_000  # 1,000 万元 = 10,000,000.00 CNY
    assert stmt.get(Line.NET_PROFIT) == 82_500_000
    assert stmt.ebit == 130_000_000  # profit before tax plus interest
    assert not stmt.negative_equity
    assert stmt.days == 365


def test_unbalanced_statement_is_refused():
    lines = {**HEALTHY, "EQUITY": "400"}  # assets 1000 vs 550 + 400
    with pytest.raises(ValidationFailed) as err:
        check_statement(statement_in(lines), TODAY)
    assert [e.code for e in err.value.errors] == ["UNBALANCED_STATEMENT"]


def test_rounding_within_tolerance_is_accepted():
    lines = {**HEALTHY, "EQUITY": "449"}  # 1 万元 off on 1,000: 0.1%
    assert check_statement(statement_in(lines), TODAY).get(Line.EQUITY) == 449_000_000


def test_negative_equity_is_accepted_and_flagged():
    lines = {
        **HEALTHY,
        "TOTAL_LIABILITIES": "1100",
        "EQUITY": "-100",
        "RETAINED_EARNINGS": "-350",
    }
    stmt = check_statement(statement_in(lines), TODAY)
    assert stmt.negative_equity
    assert ratios(stmt)[Ratio.RETURN_ON_EQUITY].reason == "NEGATIVE:EQUITY"


def test_a_line_in_another_currency_is_refused():
    data = statement_in(HEALTHY, CASH_currency="USD")
    with pytest.raises(ValidationFailed) as err:
        check_statement(data, TODAY)
    assert [(e.code, e.field) for e in err.value.errors] == [
        ("CURRENCY_MISMATCH", "lines.0.currency")
    ]


def test_every_problem_is_reported_at_once():
    data = StatementIn(
        period_start=date(2025, 12, 31),
        period_end=date(2025, 1, 1),
        kind="YEARLY",
        source="AUDITED",
        currency="XYZ",
        unit="YUAN",
        lines=(),
    )
    with pytest.raises(ValidationFailed) as err:
        check_statement(data, TODAY)
    assert {e.code for e in err.value.errors} == {
        "INVALID_PERIOD",
        "INVALID_KIND",
        "UNKNOWN_CURRENCY",
    }


def test_dates_outside_the_plausible_range_are_refused():
    data = statement_in(HEALTHY, period=(date(1850, 1, 1), date(1850, 12, 31)))
    with pytest.raises(ValidationFailed) as err:
        check_statement(data, TODAY)
    assert "INVALID_DATE" in {e.code for e in err.value.errors}


def test_negative_assets_and_duplicate_lines_are_refused():
    data = statement_in({**HEALTHY, "CASH": "-1"})
    with pytest.raises(ValidationFailed) as err:
        check_statement(data, TODAY)
    assert [e.code for e in err.value.errors] == ["NEGATIVE_AMOUNT"]


def test_ratios_of_the_healthy_company():
    got = {k: v.value for k, v in ratios(check_statement(statement_in(HEALTHY), TODAY)).items()}
    assert got[Ratio.CURRENT_RATIO] == Decimal("1.6250")
    assert got[Ratio.QUICK_RATIO] == Decimal("1.1750")
    assert got[Ratio.DEBT_TO_ASSETS] == Decimal("0.5500")
    assert got[Ratio.GROSS_MARGIN] == Decimal("0.2500")
    assert got[Ratio.NET_MARGIN] == Decimal("0.0344")
    assert got[Ratio.RETURN_ON_ASSETS] == Decimal("0.0825")
    assert got[Ratio.RETURN_ON_EQUITY] == Decimal("0.1833")
    assert got[Ratio.INTEREST_COVER] == Decimal("6.5000")
    assert got[Ratio.RECEIVABLE_DAYS] == Decimal("45.6")  # 300 / 2400 x 365
    assert got[Ratio.INVENTORY_DAYS] == Decimal("36.5")
    assert got[Ratio.OPERATING_CASH_FLOW_TO_CURRENT_LIABILITIES] == Decimal("0.2500")


def test_a_missing_line_nulls_its_ratios_with_a_reason():
    lines = {k: v for k, v in HEALTHY.items() if k not in ("INVENTORY", "INTEREST_EXPENSE")}
    got = ratios(check_statement(statement_in(lines), TODAY))
    assert got[Ratio.QUICK_RATIO].value is None
    assert got[Ratio.QUICK_RATIO].reason == "MISSING_LINE:INVENTORY"
    assert got[Ratio.INTEREST_COVER].reason == "MISSING_LINE:EBIT,INTEREST_EXPENSE"
    assert got[Ratio.CURRENT_RATIO].value == Decimal("1.6250")


LINE_VALUES = st.one_of(st.none(), st.integers(min_value=0, max_value=10**12))


@given(st.fixed_dictionaries({line: LINE_VALUES for line in Line}))
def test_ratios_never_divide_by_zero(values: dict[Line, int | None]):
    stmt = Statement(
        *YEAR_2025, PeriodKind.ANNUAL, StatementSource.AUDITED, "CNY", Unit.YUAN, values
    )
    for value in ratios(stmt).values():
        assert (value.value is None) == (value.reason is not None)
    z = altman_z(stmt)
    assert (z.score is None) == (z.reason is not None)


def test_interim_flows_are_annualised():
    half = statement_in(HEALTHY, period=(date(2025, 1, 1), date(2025, 6, 30)), kind="INTERIM")
    got = ratios(check_statement(half, TODAY))
    assert got[Ratio.RETURN_ON_ASSETS].value == Decimal("0.1664")  # 82.5/1000 x 365/181
    assert got[Ratio.NET_MARGIN].value == Decimal("0.0344")  # margins are not annualised


def test_altman_z_of_the_healthy_company():
    z = altman_z(check_statement(statement_in(HEALTHY), TODAY))
    # X1 = 0.25, X2 = 0.2, X3 = 0.13, X4 = 450/550
    assert z.x == (
        Decimal("0.250000"),
        Decimal("0.200000"),
        Decimal("0.130000"),
        Decimal("0.818182"),
    )
    assert z.score == Decimal("4.0247")  # 1.64 + 0.652 + 0.8736 + 0.859091
    assert z.zone == Zone.SAFE
    assert z.lines["EBIT"] == 130_000_000


def test_altman_zones_at_their_edges():
    assert zone_of(Decimal("2.6001")) == Zone.SAFE
    assert zone_of(Decimal("2.60")) == Zone.GREY
    assert zone_of(Decimal("1.10")) == Zone.GREY
    assert zone_of(Decimal("1.0999")) == Zone.DISTRESS


def test_altman_without_retained_earnings_says_so():
    lines = {k: v for k, v in HEALTHY.items() if k != "RETAINED_EARNINGS"}
    z = altman_z(check_statement(statement_in(lines), TODAY))
    assert (z.score, z.zone, z.reason) == (None, None, "MISSING_LINE:RETAINED_EARNINGS")


def test_trends_compare_each_year_with_the_one_before():
    years = []
    for n, (revenue, receivables) in enumerate((("2000", "200"), ("2400", "300"), ("2400", "400"))):
        year = 2023 + n
        lines = {**HEALTHY, "REVENUE": revenue, "RECEIVABLES": receivables}
        years.append(
            check_statement(
                statement_in(lines, period=(date(year, 1, 1), date(year, 12, 31))), TODAY
            )
        )
    management = check_statement(statement_in(HEALTHY, source="MANAGEMENT"), TODAY)
    assert latest([*years, management], TODAY) is years[-1]  # audited beats management
    by_key = {t.key: t for t in trends([*years, management], TODAY)}
    days = by_key["RECEIVABLE_DAYS"]
    assert [p.value for p in days.points] == [
        Decimal("36.5"),
        Decimal("45.8"),
        Decimal("60.8"),
    ]  # 2024 has 366 days
    assert days.points[0].change is None
    assert days.points[0].reason == "NO_PERIOD_A_YEAR_EARLIER"
    assert days.points[2].change == Decimal("15.0")
    assert not days.higher_is_better
    growth = by_key["REVENUE_GROWTH"]
    assert [p.value for p in growth.points] == [None, Decimal("0.2000"), Decimal("0.0000")]
