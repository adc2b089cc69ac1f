"""The platform's clock: the one place a request or the scheduler reads the time from.

The types live in services.clock, so a unit of work can carry the runtime's clock into the
services (which never import infra); this module is where the runtime takes them from.
"""

from __future__ import annotations

from services.clock import Clock, SystemClock

__all__ = ["Clock", "SystemClock"]
