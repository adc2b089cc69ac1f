"""The platform beside PostGraphile 4.14.1 on the same database, role and tenant, in interleaved
rounds so the machine's drift cancels: `{ __typename }`, the like-for-like page (the fields
PostGraphile can serve), and our full page (with dossier completeness) against its page.

PostGraphile runs in library mode (benchmarks/postgraphile/server.js) with
`pgSettings: {role: credit_app, app.tenant_id: <bench tenant>}`, so row-level security applies
to it exactly as to us. Before timing, both must return the same 50 customers and partners.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx

from benchmarks.graphql_http import PAGE_QUERY, TYPENAME_QUERY, wrk
from benchmarks.harness import (
    ROOT,
    Bench,
    database,
    free_port,
    seed_customers,
    server,
    stop_group,
    wait_healthy,
)

PEER_DIR = ROOT / "benchmarks" / "postgraphile"
ROUNDS = int(os.environ.get("BENCH_PEER_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_PEER_SECONDS", "4"))
LIKE_QUERY = (
    "query Like { customers(first: 50) { edges { node { id code legalName country "
    "registrationNumber industry status foundedOn salesperson version creditFile { "
    "partners { kind relatedCode relatedName } } } } } }"
)
PEER_QUERY = (
    "query Peer { allCustomers(first: 50, orderBy: [LEGAL_NAME_ASC, ID_ASC]) { nodes { id code "
    "legalName country registrationNumber industry status foundedOn salesperson version "
    "customerRelationsByTenantIdAndCustomerId { nodes { kind "
    "customerByTenantIdAndRelatedCustomerId { code legalName } } } } } }"
)
#: Ours / PostGraphile's, median of the rounds (issue 13's floors).
FLOORS = {"typename": 0.8, "like_page": 1.0, "full_page": 0.9}


def install() -> None:
    """PostGraphile from the npm registry, pinned by its lock file."""
    if not (PEER_DIR / "node_modules" / "postgraphile").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=PEER_DIR, check=True
        )


@contextlib.contextmanager
def postgraphile(bench: Bench, workers: int = 1) -> Iterator[str]:
    """PostGraphile on the bench database as credit_app in the bench tenant; yields its URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": bench.owner_url,
        "TENANT_ID": str(bench.tenant_id),
        "PORT": str(port),
        "WORKERS": str(workers),
        "NODE_ENV": "production",
    }
    proc = subprocess.Popen(
        ["node", "server.js"],
        cwd=PEER_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.post(url + "/graphql", json={"query": TYPENAME_QUERY}, timeout=2)
                if answer.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("PostGraphile did not start")
            time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


def same_customers(ours: str, peer: str, token: str) -> int:
    """Both servers return the same 50 customers with the same partner links; how many."""
    mine = httpx.post(
        ours + "/graphql",
        json={"query": LIKE_QUERY},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    theirs = httpx.post(peer + "/graphql", json={"query": PEER_QUERY}, timeout=30).json()
    assert "errors" not in mine, mine
    assert "errors" not in theirs, theirs
    left = [
        (
            n["node"]["code"],
            n["node"]["legalName"],
            sorted((p["kind"], p["relatedCode"]) for p in n["node"]["creditFile"]["partners"]),
        )
        for n in mine["data"]["customers"]["edges"]
    ]
    right = [
        (
            n["code"],
            n["legalName"],
            sorted(
                (r["kind"], r["customerByTenantIdAndRelatedCustomerId"]["code"])
                for r in n["customerRelationsByTenantIdAndCustomerId"]["nodes"]
            ),
        )
        for n in theirs["data"]["allCustomers"]["nodes"]
    ]
    assert left == right, "the two servers disagree on the page"
    return len(left)


def rounds(ours: str, peer: str, token: str, connections: int) -> dict[str, dict[str, Any]]:
    """Interleaved rounds; per measurement our figure, the peer's, and the ratio per round."""
    pairs = {
        "typename": (TYPENAME_QUERY, TYPENAME_QUERY),
        "like_page": (LIKE_QUERY, PEER_QUERY),
        "full_page": (PAGE_QUERY, PEER_QUERY),
    }
    raw: dict[str, list[tuple[float, float]]] = {name: [] for name in pairs}
    for mine, theirs in pairs.values():  # warm both up
        wrk(ours, mine, token, connections, 2)
        wrk(peer, theirs, "", connections, 2)
    for index in range(ROUNDS):
        for name, (mine, theirs) in pairs.items():
            first_ours = index % 2 == 0  # alternate who goes first
            runs = [(ours, mine, token), (peer, theirs, "")]
            results = [
                wrk(u, q, t, connections, SECONDS)
                for u, q, t in (runs if first_ours else runs[::-1])
            ]
            if not first_ours:
                results.reverse()
            raw[name].append((results[0]["rps"], results[1]["rps"]))
    return medians(raw)


def medians(raw: dict[str, list[tuple[float, float]]]) -> dict[str, dict[str, Any]]:
    """Per measurement: our median, the peer's, and the median of the per-round ratios."""
    out: dict[str, dict[str, Any]] = {}
    for name, values in raw.items():
        ratios = [a / b for a, b in values]
        out[name] = {
            "ours_rps": round(statistics.median(a for a, _ in values), 1),
            "peer_rps": round(statistics.median(b for _, b in values), 1),
            "ratio": round(statistics.median(ratios), 2),
            "ratios": [round(r, 2) for r in ratios],
            "rounds": values,
        }
    return out


@contextlib.contextmanager
def ours_with(bench: Bench, workers: int) -> Iterator[str]:
    """Our server with one or several uvicorn workers."""
    if workers == 1:
        with server(bench) as url:
            yield url
        return
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=bench.env(),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop_group(proc)


def measure(bench: Bench) -> dict[str, Any]:
    """Every configuration: 1 and 2 processes each, at 8 and 16 connections (issue 13)."""
    install()
    token = bench.token()
    figures: dict[str, Any] = {}
    for workers, connections in ((1, 8), (1, 16), (2, 8), (2, 16)):
        with ours_with(bench, workers) as ours, postgraphile(bench, workers) as peer:
            checked = same_customers(ours, peer, token)
            figures[f"{workers}p_{connections}c"] = {
                "checked_customers": checked,
                **rounds(ours, peer, token, connections),
            }
    return figures


def report(figures: dict[str, Any], floors: dict[str, float] = FLOORS, title: str = "vs") -> None:
    """Ours, PostGraphile's, and the ratio beside its floor, per configuration."""
    for config, measurements in figures.items():
        print(
            f"{title} PostGraphile 4.14.1, {config} ({measurements['checked_customers']} "
            "customers checked equal):"
        )
        for name, floor in floors.items():
            m = measurements[name]
            verdict = "PASS" if m["ratio"] >= floor else "BELOW"
            print(
                f"  {name}: ours {m['ours_rps']} req/s, PostGraphile {m['peer_rps']} req/s, "
                f"ratio {m['ratio']} (rounds {m['ratios']})  floor >= {floor}: {verdict}"
            )


def main() -> None:
    """Seed 10,000 customers and compare."""
    with database() as bench:
        seed_customers(bench, 10_000)
        report(measure(bench))


if __name__ == "__main__":
    main()
