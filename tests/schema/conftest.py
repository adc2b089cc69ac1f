"""Every schema test that builds the app runs twice: with the fast path (schema.engine) on,
and with it off (graphql-core's standard execution alone), so both answer every test."""

from __future__ import annotations

import dataclasses

import pytest

from infra.settings import Settings
from schema import cost_limits
from schema.throttle import Buckets

#: GRAPHQL_FAST_PATH values, by test id.
MODES = {"fast-path": True, "standard": False}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "engine_mode(*modes): run the test in these modes only (it builds the rest)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "settings" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("engine_mode")
        modes = list(marker.args) if marker else list(MODES)
        metafunc.parametrize("engine_mode", modes, indirect=True)


@pytest.fixture
def engine_mode(request: pytest.FixtureRequest) -> bool:
    """Whether the fast path is on in this run of the test."""
    return MODES[request.param]


@pytest.fixture
def settings(settings: Settings, engine_mode: bool) -> Settings:
    """The session's test settings with the fast path on or off."""
    return dataclasses.replace(settings, graphql_fast_path=engine_mode)


@pytest.fixture(autouse=True)
def fresh_rate_buckets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run of a test starts with full rate-limit buckets, as on a fresh server: they
    live for the process, keyed by tenant slug and subject, and a test's second run has the
    same tenant (`acme`) and subjects as its first."""
    monkeypatch.setattr(cost_limits, "BUCKETS", Buckets())
