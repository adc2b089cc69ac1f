"""Registered pages, compiled, beside PostGraphile 4.14.1's page: the full customers page
(PAGE_QUERY, with dossier completeness) and the like-for-like page (LIKE_QUERY) are registered
as trusted documents of the bench tenant, and wrk then sends only their hashes, in interleaved
rounds against PostGraphile's page (PEER_QUERY) so the machine's drift cancels.

No response is cached anywhere: each request runs its statement (one per page) and builds its
JSON in PostgreSQL under the tenant's row-level security. Before timing, the hash request must
give the same response as the text (the standard path) and the same customers as PostGraphile.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import httpx

from benchmarks.graphql_http import PAGE_QUERY, wrk, wrk_request
from benchmarks.harness import Bench, database, seed_customers
from benchmarks.peer import (
    LIKE_QUERY,
    PEER_QUERY,
    install,
    medians,
    ours_with,
    postgraphile,
    same_customers,
)
from benchmarks.peer import report as peer_report

ROUNDS = int(os.environ.get("BENCH_PEER_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_PEER_SECONDS", "4"))
#: Ours / PostGraphile's, median of the rounds (the compiled-documents issue's floor).
FLOORS = {"registered_page": 2.0, "registered_like_page": 2.0}
#: (API processes, wrk connections) measured.
CONFIGS = ((1, 8), (2, 16))
REGISTER = """mutation R($input: RegisterTrustedDocumentInput!) {
  registerTrustedDocument(input: $input) {
    document { id compiled } userErrors { code message } } }"""


def by_hash(text: str) -> dict[str, Any]:
    """The request body that names a registered document by its hash alone."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}


def register(url: str, bench: Bench, text: str, name: str) -> None:
    """Register a document for the bench tenant; it must have compiled."""
    answer = httpx.post(
        url + "/graphql",
        json={"query": REGISTER, "variables": {"input": {"document": text, "name": name}}},
        headers={"Authorization": f"Bearer {bench.token(['integrator'])}"},
        timeout=30,
    ).json()
    payload = answer["data"]["registerTrustedDocument"]
    assert payload["userErrors"] == [], payload
    assert payload["document"]["compiled"], f"{name} did not compile"


def same_by_hash(url: str, token: str, text: str) -> int:
    """The hash request answers as the text request does; how many customers it holds."""
    headers = {"Authorization": f"Bearer {token}"}
    compiled = httpx.post(url + "/graphql", json=by_hash(text), headers=headers, timeout=30)
    standard = httpx.post(url + "/graphql", json={"query": text}, headers=headers, timeout=30)
    mine, theirs = compiled.json(), standard.json()
    for body in (mine, theirs):
        body.get("extensions", {}).get("cost", {}).get("throttleStatus", {}).pop(
            "currentlyAvailable", None
        )
    assert mine == theirs, "the compiled page differs from the standard one"
    return len(mine["data"]["customers"]["edges"])


def rounds(ours: str, peer: str, token: str, connections: int) -> dict[str, dict[str, Any]]:
    """Interleaved rounds of each registered page against PostGraphile's page."""
    pairs = {"registered_page": by_hash(PAGE_QUERY), "registered_like_page": by_hash(LIKE_QUERY)}
    raw: dict[str, list[tuple[float, float]]] = {name: [] for name in pairs}
    for request in pairs.values():  # warm both up
        wrk_request(ours, request, token, connections, 2)
        wrk(peer, PEER_QUERY, "", connections, 2)
    for index in range(ROUNDS):
        for name, request in pairs.items():
            ours_first = index % 2 == 0  # alternate who goes first
            if ours_first:
                mine = wrk_request(ours, request, token, connections, SECONDS)
                theirs = wrk(peer, PEER_QUERY, "", connections, SECONDS)
            else:
                theirs = wrk(peer, PEER_QUERY, "", connections, SECONDS)
                mine = wrk_request(ours, request, token, connections, SECONDS)
            assert mine["non_2xx"] == 0 and theirs["non_2xx"] == 0
            raw[name].append((mine["rps"], theirs["rps"]))
    return medians(raw)


def measure(bench: Bench) -> dict[str, Any]:
    """Each configuration: register both pages, check them, time them against the peer."""
    install()
    token = bench.token()
    figures: dict[str, Any] = {}
    for workers, connections in CONFIGS:
        with ours_with(bench, workers) as ours, postgraphile(bench, workers) as peer:
            register(ours, bench, PAGE_QUERY, "BenchPage")
            register(ours, bench, LIKE_QUERY, "BenchLikePage")
            checked = same_customers(ours, peer, token)
            for text in (PAGE_QUERY, LIKE_QUERY):
                assert same_by_hash(ours, token, text) == checked
            figures[f"{workers}p_{connections}c"] = {
                "checked_customers": checked,
                **rounds(ours, peer, token, connections),
            }
    return figures


def report(figures: dict[str, Any]) -> None:
    """Ours, PostGraphile's, and the ratio beside its floor, per configuration."""
    peer_report(figures, FLOORS, "registered pages vs")


def main() -> None:
    """Seed 10,000 customers and compare."""
    with database() as bench:
        seed_customers(bench, 10_000)
        report(measure(bench))


if __name__ == "__main__":
    main()
