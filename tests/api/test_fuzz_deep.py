"""The fuzz's second pass: only valid documents with every argument given, reaching the rules
and the rows; afterwards every job, and a benchmark-shaped tenant's month end, still succeed.

The target, strategies and checks are in fuzz_target; this pass has a database, tenant and
server of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

from tests.api.fuzz_target import (
    ENOUGH_PER_PASS,
    FUZZ,
    FuzzTarget,
    bench_tenants_month_end_jobs_still_run,
    check_case,
    deep,
    every_scheduled_job_still_succeeds,
    open_target,
)


@pytest.fixture(scope="module")
def fuzz(pg_server: str) -> Iterator[FuzzTarget]:
    with open_target(pg_server) as target:
        yield target


@deep.parametrize()
@FUZZ
def test_no_server_errors_deep(case: schemathesis.Case, fuzz: FuzzTarget) -> None:
    check_case(case, fuzz)


def test_enough_cases_were_generated(fuzz: FuzzTarget) -> None:
    """The pass above sent enough authenticated cases (in CI; more with make fuzz)."""
    assert fuzz.runs >= ENOUGH_PER_PASS, fuzz.runs


def test_every_scheduled_job_still_succeeds_for_the_fuzzed_tenant(fuzz: FuzzTarget) -> None:
    every_scheduled_job_still_succeeds(fuzz)


def test_the_bench_tenants_month_end_jobs_still_run_after_the_fuzz(fuzz: FuzzTarget) -> None:
    bench_tenants_month_end_jobs_still_run(fuzz)
