"""The platform's clock: the one place a request or the scheduler reads the time from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Where "now" comes from, so tests can set the hour instead of patching datetime."""

    def now(self) -> datetime:
        """The current instant, time-zone aware."""
        ...


class SystemClock:
    """The host's clock, in UTC (a tenant's date comes from its own time zone)."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)
