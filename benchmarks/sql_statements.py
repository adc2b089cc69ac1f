"""SQL statements one page query issues, for several page sizes (must not grow with size)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from api.app import create_app
from benchmarks.harness import Bench, database, seed_customers
from dbschema.engine import add_statement_listener
from infra.settings import load

FLOOR = 4  #: the issue's ceiling; the page now needs 3
QUERY = (
    "query Page($n: Int) { customers(first: $n) { edges { node { id code legalName country "
    "registrationNumber industry status foundedOn salesperson version creditFile { "
    "completeness { ratio } partners { kind relatedCode relatedName } } } } } }"
)


async def count(bench: Bench, sizes: tuple[int, ...]) -> dict[int, int]:
    """Statements sent to PostgreSQL per request, by page size."""
    settings = load({"database_url": bench.owner_url, "app_database_url": bench.app_url})
    app = create_app(settings)
    seen: list[str] = []
    remove = add_statement_listener(seen.append)
    result: dict[int, int] = {}
    try:
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
                headers = {"Authorization": f"Bearer {bench.token()}"}
                for size in sizes:
                    await client.post(
                        "/graphql", json={"query": QUERY, "variables": {"n": size}}, headers=headers
                    )
                    seen.clear()
                    body = (
                        await client.post(
                            "/graphql",
                            json={"query": QUERY, "variables": {"n": size}},
                            headers=headers,
                        )
                    ).json()
                    assert len(body["data"]["customers"]["edges"]) == size, body
                    result[size] = len(seen)
    finally:
        remove()
    return result


def measure(bench: Bench) -> dict[str, Any]:
    """Statement counts for pages of 10, 50 and 100."""
    return {"by_page_size": asyncio.run(count(bench, (10, 50, 100)))}


def report(figures: dict[str, Any]) -> None:
    """Print counts beside the floor."""
    counts = figures["by_page_size"]
    flat = len(set(counts.values())) == 1
    ok = flat and max(counts.values()) <= FLOOR
    print(
        "SQL statements per page query: "
        + ", ".join(f"first={k}: {v}" for k, v in counts.items())
        + f"  floor <= {FLOOR} and not growing: {'PASS' if ok else 'BELOW'}"
    )


def main() -> None:
    """Seed and count."""
    with database() as bench:
        seed_customers(bench, 2_000)
        report(measure(bench))


if __name__ == "__main__":
    main()
