"""Statement periods and record dates against the caller's today: nothing from the future, a
period as long as its kind says, and one rule for the statement analysis and scoring read."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.altman import altman_z
from domain.credit.external import RecordIn, check_record
from domain.credit.financials import (
    ANNUAL_MIN_DAYS,
    MAX_PERIOD_DAYS,
    PeriodKind,
    Statement,
    StatementSource,
    Unit,
    check_statement,
)
from domain.credit.ratios import annualise, latest, trends
from domain.errors import ValidationFailed
from tests.domain.test_credit_analysis_financials import HEALTHY, statement_in

TODAY = date(2026, 12, 2)


def refusals(data: object, today: date = TODAY) -> set[tuple[str, str | None]]:
    """The (code, field) pairs a statement is refused with, empty when it is accepted."""
    try:
        check_statement(data, today)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        return {(e.code, e.field) for e in exc.errors}
    return set()


@pytest.mark.parametrize(
    ("period", "kind"),
    [
        ((date(2027, 1, 1), date(2027, 12, 31)), "ANNUAL"),
        ((date(2028, 1, 1), date(2028, 12, 31)), "ANNUAL"),
        ((date(2026, 7, 1), date(2026, 12, 31)), "INTERIM"),
        ((date(2025, 12, 4), date(2026, 12, 3)), "ANNUAL"),  # ends tomorrow
    ],
)
def test_a_period_ending_after_today_is_refused(period: tuple[date, date], kind: str):
    data = statement_in(HEALTHY, period=period, kind=kind, source="AUDITED")
    assert refusals(data) == {("FUTURE_DATE", "periodEnd")}


def test_a_period_ending_today_is_accepted():
    data = statement_in(HEALTHY, period=(TODAY - timedelta(days=364), TODAY))
    assert check_statement(data, TODAY).period_end == TODAY


def test_a_date_outside_the_range_is_invalid_not_future():
    data = statement_in(HEALTHY, period=(date(2025, 1, 1), date(9999, 12, 31)))
    assert refusals(data) == {("INVALID_DATE", "periodEnd")}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 10, 1), date(2025, 12, 31)),  # a quarter
        (date(2025, 1, 1), date(2025, 6, 30)),  # a half-year
        (date(2025, 1, 9), date(2025, 12, 31)),  # 357 days
    ],
)
def test_an_annual_statement_must_cover_a_year(start: date, end: date):
    data = statement_in(HEALTHY, period=(start, end), kind="ANNUAL")
    assert refusals(data) == {("INVALID_PERIOD", "periodStart"), ("INVALID_PERIOD", "periodEnd")}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 1, 1), date(2025, 12, 31)),  # a calendar year
        (date(2024, 1, 1), date(2024, 12, 31)),  # a leap year, 366 days
        (date(2025, 1, 2), date(2025, 12, 31)),  # a 52-week year, 364 days
        (date(2025, 1, 8), date(2025, 12, 31)),  # the shortest annual period, 358 days
        (date(2025, 4, 1), date(2026, 3, 31)),  # a financial year from April
    ],
)
def test_a_year_is_annual(start: date, end: date):
    assert check_statement(statement_in(HEALTHY, period=(start, end)), TODAY).days >= 358


def test_an_interim_statement_covers_less_than_a_year():
    year = statement_in(HEALTHY, period=(date(2025, 1, 1), date(2025, 12, 31)), kind="INTERIM")
    assert refusals(year) == {("INVALID_PERIOD", "periodStart"), ("INVALID_PERIOD", "periodEnd")}
    quarter = statement_in(HEALTHY, period=(date(2025, 7, 1), date(2025, 9, 30)), kind="INTERIM")
    assert check_statement(quarter, TODAY).kind == PeriodKind.INTERIM


def test_no_period_covers_more_than_a_year():
    data = statement_in(HEALTHY, period=(date(2024, 1, 1), date(2025, 1, 1)))  # 367 days
    assert refusals(data) == {("INVALID_PERIOD", "periodStart"), ("INVALID_PERIOD", "periodEnd")}


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 1, 1)),
    st.integers(min_value=1, max_value=400),
    st.sampled_from(["ANNUAL", "INTERIM"]),
)
def test_every_length_fits_exactly_one_kind(start: date, days: int, kind: str):
    data = statement_in(HEALTHY, period=(start, start + timedelta(days=days - 1)), kind=kind)
    fits = days <= MAX_PERIOD_DAYS and (
        days >= ANNUAL_MIN_DAYS if kind == "ANNUAL" else days < ANNUAL_MIN_DAYS
    )
    assert (refusals(data) == set()) == fits


def test_every_problem_is_still_reported_at_once():
    data = statement_in(
        HEALTHY, period=(date(2027, 10, 1), date(2027, 12, 31)), kind="ANNUAL", currency="XYZ"
    )
    assert refusals(data) == {
        ("FUTURE_DATE", "periodEnd"),
        ("INVALID_PERIOD", "periodStart"),
        ("INVALID_PERIOD", "periodEnd"),
        ("UNKNOWN_CURRENCY", "currency"),
    }


def _statement(start: date, end: date, kind: PeriodKind, source: StatementSource) -> Statement:
    return Statement(start, end, kind, source, "CNY", Unit.YUAN, {})


def test_only_interim_flows_are_annualised():
    quarter = check_statement(
        statement_in(HEALTHY, period=(date(2025, 7, 1), date(2025, 9, 30)), kind="INTERIM"), TODAY
    )
    assert annualise(quarter) == Decimal(365) / Decimal(92)
    assert altman_z(quarter).annualised_by == Decimal(365) / Decimal(92)
    year = check_statement(
        statement_in(HEALTHY, period=(date(2025, 1, 2), date(2025, 12, 31))), TODAY
    )
    assert annualise(year) == Decimal(1)  # a 52-week year is a year's flows
    assert altman_z(year).annualised_by == Decimal(1)


def test_latest_ignores_periods_ending_after_the_day_asked():
    # given: the reviewer's customer, 2025 audited, then two statements of future periods
    y2025 = _statement(
        date(2025, 1, 1), date(2025, 12, 31), PeriodKind.ANNUAL, StatementSource.AUDITED
    )
    y2027 = _statement(
        date(2027, 1, 1), date(2027, 12, 31), PeriodKind.ANNUAL, StatementSource.AUDITED
    )
    y2028 = _statement(
        date(2028, 1, 1), date(2028, 12, 31), PeriodKind.ANNUAL, StatementSource.MANAGEMENT
    )
    # then: today the 2025 one counts, and trends end with it
    assert latest([y2028, y2027, y2025], TODAY) is y2025
    assert latest([y2028, y2027, y2025], date(2028, 1, 1)) is y2027
    assert latest([y2028], TODAY) is None
    assert trends([y2028, y2027], TODAY) == []
    points = trends([y2025, y2027, y2028], TODAY)[0].points
    assert [p.period_end for p in points] == [date(2025, 12, 31)]


def test_latest_prefers_annual_then_newest_then_source():
    interim = _statement(
        date(2026, 1, 1), date(2026, 6, 30), PeriodKind.INTERIM, StatementSource.AUDITED
    )
    managed = _statement(
        date(2025, 1, 1), date(2025, 12, 31), PeriodKind.ANNUAL, StatementSource.MANAGEMENT
    )
    audited = _statement(
        date(2025, 1, 1), date(2025, 12, 31), PeriodKind.ANNUAL, StatementSource.AUDITED
    )
    assert latest([interim, managed, audited], TODAY) is audited
    assert latest([interim, managed], TODAY) is managed
    assert latest([interim, managed], date(2025, 12, 30)) is None
    assert latest([interim], TODAY) is interim


def record(**kw: object) -> RecordIn:
    values: dict[str, object] = {
        "kind": "LEGAL_RECORD",
        "source": "court-db",
        "source_ref": "X-1",
        "recorded_on": date(2026, 11, 1),
        "evidence": "doc",
        "legal_kind": "LAWSUIT",
        "role": "DEFENDANT",
        "case_number": "X-1",
        "court": "法院",
        "status": "CLOSED",
        "filed_on": date(2026, 1, 5),
        "closed_on": date(2026, 10, 30),
    }
    values.update(kw)
    return RecordIn(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["BUREAU_REPORT", "NEGATIVE_NEWS", "SITE_VISIT", "BANK_REFERENCE"])
def test_a_record_dated_after_today_is_refused(kind: str):
    data = RecordIn(
        kind,
        "src",
        "R-1",
        date(2030, 1, 1),
        evidence="doc",
        score="A",
        assessment="POSITIVE",
        severity="HIGH",
        party="p",
    )
    with pytest.raises(ValidationFailed) as err:
        check_record(data, TODAY, "rows.3.")
    assert [(e.code, e.field) for e in err.value.errors] == [("FUTURE_DATE", "rows.3.recordedOn")]


def test_a_legal_records_dates_are_not_in_the_future_either():
    assert check_record(record(recorded_on=TODAY), TODAY).recorded_on == TODAY
    with pytest.raises(ValidationFailed) as err:
        check_record(
            record(
                recorded_on=date(2030, 1, 1), filed_on=date(2030, 1, 1), closed_on=date(2030, 2, 1)
            ),
            TODAY,
        )
    assert {(e.code, e.field) for e in err.value.errors} == {
        ("FUTURE_DATE", "recordedOn"),
        ("FUTURE_DATE", "filedOn"),
        ("FUTURE_DATE", "closedOn"),
    }
    with pytest.raises(ValidationFailed) as out_of_range:
        check_record(record(recorded_on=date(9999, 12, 31)), TODAY)
    assert [(e.code, e.field) for e in out_of_range.value.errors] == [
        ("INVALID_DATE", "recordedOn")
    ]
