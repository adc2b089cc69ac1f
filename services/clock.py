"""The clock's type, here so a unit of work can carry the runtime's clock (services never
import infra): services read "now" from the clock they are given, never from the host."""

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


#: The clock of a unit of work opened without one (the runtime's is a SystemClock too).
SYSTEM_CLOCK = SystemClock()
