"""A loop woken by PostgreSQL NOTIFY and by a timer: the shape of the outbox relay and the
webhook dispatcher, written once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod

import asyncpg


class WokenLoop(ABC):
    """Runs `round()` on every NOTIFY of `channel` and at least every `poll` seconds."""

    channel = ""  #: the NOTIFY channel that wakes the loop
    poll = 2.0  #: seconds between rounds when nothing wakes it (missed NOTIFYs, retries)

    def __init__(self, app_url: str, log: logging.Logger) -> None:
        self._app_url = app_url
        self._log = log
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()

    @abstractmethod
    async def round(self) -> int:
        """One pass of the work (the relay's, the dispatcher's); returns how much it did."""

    def again(self) -> None:
        """Run another round at once (a round that hit its batch size has more to do)."""
        self._wake.set()

    async def run(self) -> None:
        """Rounds until stopped; a failed round is logged and the next one retries."""
        conn = await asyncpg.connect(self._app_url)
        await conn.add_listener(self.channel, lambda *_: self._wake.set())
        try:
            while not self._stop.is_set():
                try:
                    await self.round()
                except Exception:  # keep going: the work is in the database, not in memory
                    self._log.exception("%s round failed", type(self).__name__)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll)
                self._wake.clear()
        finally:
            await conn.close()

    def stop(self) -> None:
        """Ask run() to return."""
        self._stop.set()
        self._wake.set()
