"""Several API processes: a subscriber on any of them hears what any process committed, since
events come from the database, not from the process that wrote them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.settings import Settings
from tests.api.served import serve
from tests.api.test_subscriptions import customer, subscribed, warn
from tests.conftest import Database, token


@dataclass
class Served:
    """Just the addresses `subscribed` reads."""

    url: str
    ws_url: str


@contextlib.contextmanager
def served(database: Database, data_dir: Path) -> Iterator[Served]:
    """One `credit serve` process on the test database, stopped afterwards."""
    with serve(database, data_dir) as base:
        yield Served(base, base.replace("http://", "ws://") + "/graphql")


async def test_subscribers_on_two_processes_both_hear_one_warning(
    database: Database, settings: Settings, runtime: Any, tenants: dict[str, Any], tmp_path: Path
) -> None:
    # given two API processes on one database, a subscriber on each
    row = await customer(runtime, tenants["acme"], "P-1")
    with served(database, tmp_path / "a") as first, served(database, tmp_path / "b") as second:
        bearer = token(settings)
        one = await subscribed(first, bearer)
        two = await subscribed(second, bearer)
        # when a third party (a job, another process) commits a warning
        await warn(runtime, tenants["acme"], row, "CREDIT_FILE_STALE", "SEVERE")
        # then both subscribers receive it, with the same cursor
        heard = await asyncio.gather(one.next(), two.next())
        events = [m["payload"]["data"]["warningRaised"] for m in heard]
        assert [e["warning"]["customerCode"] for e in events] == ["P-1", "P-1"]
        assert events[0]["cursor"] == events[1]["cursor"]
        await one.close()
        await two.close()
