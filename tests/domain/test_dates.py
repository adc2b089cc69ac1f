"""Business dates stay in 1900-2199, so date arithmetic in every job survives them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.dates import EARLIEST, LATEST, check_date, check_moment, in_range, parse_date, shift
from domain.errors import DomainError


@pytest.mark.parametrize(
    "value", [date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31), date(2200, 1, 1)]
)
def test_boundary_dates_are_refused_with_the_field(value: date) -> None:
    with pytest.raises(DomainError) as refused:
        check_date(value, "issueDate")
    assert (refused.value.code, refused.value.field) == ("INVALID_DATE", "issueDate")


def test_the_ends_of_the_range_are_accepted() -> None:
    assert check_date(EARLIEST, "d") == EARLIEST and check_date(LATEST, "d") == LATEST


def test_a_moment_whose_utc_date_leaves_the_range_is_refused() -> None:
    early = datetime(1900, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=14)))
    with pytest.raises(DomainError):
        check_moment(early, "occurredAt")
    with pytest.raises(DomainError):
        check_moment(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), "occurredAt")


@given(st.dates(min_value=EARLIEST, max_value=LATEST), st.integers(-(10**6), 10**6))
def test_shift_never_leaves_the_range(value: date, days: int) -> None:
    assert in_range(shift(value, days))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-10-01", date(2026, 10, 1)), ("1900-01-01", EARLIEST), ("2199-12-31", LATEST)],
)
def test_imported_dates_are_parsed_in_range(text: str, expected: date) -> None:
    assert parse_date(text, "issueDate") == expected


@pytest.mark.parametrize(
    "text", ["9999-12-31", "0001-01-01", "2026-02-30", "20261001", "2026-1-1", "٢٠٢٦-١٠-٠١", ""]
)
def test_imported_dates_out_of_range_or_shape_are_refused(text: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_date(text, "receivedOn")
    assert (refused.value.code, refused.value.field) == ("INVALID_DATE", "receivedOn")


def test_shift_survives_the_dates_a_driver_reads_for_infinity() -> None:
    assert shift(date.max, 1) == LATEST
    assert shift(date.min, -1) == EARLIEST


def test_a_moment_without_its_offset_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        check_moment(datetime(2026, 10, 1, 9, 30), "occurredAt")
    assert refused.value.code == "INVALID_DATE"
    aware = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
    assert check_moment(aware, "occurredAt") == aware
