"""The fuzz's first pass: valid and invalid documents alike, so the edge and validation hold.

The target, strategies and checks are in fuzz_target; this pass has a database, tenant and
server of its own, and its jobs run over whatever it got accepted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

from tests.api.fuzz_target import (
    ENOUGH_PER_PASS,
    FUZZ,
    FuzzTarget,
    check_case,
    every_scheduled_job_still_succeeds,
    open_target,
    schema,
)


@pytest.fixture(scope="module")
def fuzz(pg_server: str) -> Iterator[FuzzTarget]:
    with open_target(pg_server) as target:
        yield target


@schema.parametrize()
@FUZZ
def test_no_server_errors(case: schemathesis.Case, fuzz: FuzzTarget) -> None:
    check_case(case, fuzz)


def test_enough_cases_were_generated(fuzz: FuzzTarget) -> None:
    """The pass above sent enough authenticated cases (in CI; more with make fuzz)."""
    assert fuzz.runs >= ENOUGH_PER_PASS, fuzz.runs


def test_every_scheduled_job_still_succeeds_for_the_fuzzed_tenant(fuzz: FuzzTarget) -> None:
    every_scheduled_job_still_succeeds(fuzz)
