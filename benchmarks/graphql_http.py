"""HTTP throughput and latency: `{ __typename }` and a 50-customer page, measured with wrk."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import overhead
from benchmarks.harness import ROOT, Bench, database, seed_customers, server

PAGE_QUERY = (
    "query Page { customers(first: 50) { edges { node { id code legalName country "
    "registrationNumber industry status foundedOn salesperson version creditFile { "
    "completeness { ratio } partners { kind relatedCode relatedName } } } } } }"
)
TYPENAME_QUERY = "{ __typename }"
FLOORS = {"typename_rps": 2000, "page_rps": 150, "page_p99_ms": 100, "cost_ms": 0.2}
COST_ROUNDS = 5  #: interleaved with/without rounds for the cost-analysis overhead
COST_ROUND_SECONDS = 8


def _lua(request: dict[str, Any], token: str) -> str:
    body = json.dumps(request).replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'wrk.method = "POST"\nwrk.body = "{body}"\n'
        f'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    )


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, query: str, token: str, connections: int, seconds: int) -> dict[str, Any]:
    """Run wrk with a POST script; parse req/s and latency percentiles."""
    return wrk_request(url, {"query": query}, token, connections, seconds)


def wrk_request(
    url: str, request: dict[str, Any], token: str, connections: int, seconds: int
) -> dict[str, Any]:
    """wrk POSTing one request body (e.g. only a registered document's hash)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (make bench installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "post.lua"
        script.write_text(_lua(request, token))
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                str(script),
                url + "/graphql",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return parse_wrk(out, connections)


def parse_wrk(out: str, connections: int) -> dict[str, Any]:
    """req/s, requests, p50/p99 in ms and non-2xx answers from wrk's --latency report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # wrk pads a figure in seconds ("1.27s ") with a space
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if "99" not in pct:
        raise RuntimeError(f"wrk answered no latencies:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    done = re.search(r"(\d+) requests in", out)
    return {
        "rps": round(rps, 1),
        "requests": int(done.group(1)) if done else 0,
        "p50_ms": round(_ms(pct["50"]), 2),
        "p99_ms": round(_ms(pct["99"]), 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "connections": connections,
    }


def check_page(url: str, token: str) -> None:
    """Fail loudly if the page query does not return 50 customers (a benchmark of errors)."""
    import httpx

    body = httpx.post(
        url + "/graphql",
        json={"query": PAGE_QUERY},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert "errors" not in body, body
    assert len(body["data"]["customers"]["edges"]) == 50


def measure(bench: Bench) -> dict[str, Any]:
    """Both HTTP figures against one server process."""
    token = bench.token()
    with server(bench) as url:
        check_page(url, token)
        wrk(url, TYPENAME_QUERY, token, 32, 3)  # warm-up
        typename = wrk(url, TYPENAME_QUERY, token, 32, 10)
        typename_cpu = overhead.cpu_per_request(
            url, lambda s: wrk(url, TYPENAME_QUERY, token, 32, s)
        )
        overhead.profile(url, lambda s: wrk(url, TYPENAME_QUERY, token, 32, s))
        wrk(url, PAGE_QUERY, token, 8, 3)
        page = wrk(url, PAGE_QUERY, token, 8, 12)
    return {"typename": typename, "typename_cpu_ms": typename_cpu, "page": page}


def cost_overhead(bench: Bench) -> dict[str, Any]:
    """What query cost analysis adds to a page request: the page's throughput on a server with
    it and on one without (COST_ANALYSIS=0), in interleaved rounds so the machine's drift
    cancels; one saturated process serves a request in 1/throughput of its time, so the
    difference of those is the added time per request."""
    token = bench.token()
    with server(bench) as with_url, server(bench, COST_ANALYSIS="0") as without_url:
        for url in (with_url, without_url):
            check_page(url, token)
            wrk(url, PAGE_QUERY, token, 8, 3)  # warm-up
        added: list[float] = []
        pairs: list[tuple[float, float]] = []
        for _ in range(COST_ROUNDS):
            on = wrk(with_url, PAGE_QUERY, token, 8, COST_ROUND_SECONDS)["rps"]
            off = wrk(without_url, PAGE_QUERY, token, 8, COST_ROUND_SECONDS)["rps"]
            pairs.append((on, off))
            added.append(1000 / on - 1000 / off)
    added.sort()
    return {
        "rounds": pairs,
        "added_ms_median": round(added[len(added) // 2], 3),
        "with_rps_median": sorted(p[0] for p in pairs)[len(pairs) // 2],
        "without_rps_median": sorted(p[1] for p in pairs)[len(pairs) // 2],
    }


def report_cost(c: dict[str, Any]) -> None:
    """Print the cost-analysis overhead beside its floor."""
    ok = c["added_ms_median"] <= FLOORS["cost_ms"]
    print(
        f"cost analysis on the page: {c['with_rps_median']} req/s with, "
        f"{c['without_rps_median']} without ({COST_ROUNDS} interleaved rounds {c['rounds']}): "
        f"adds {c['added_ms_median']} ms a request (median of rounds)  "
        f"floor <= {FLOORS['cost_ms']} ms: {'PASS' if ok else 'BELOW'}"
    )


def report(figures: dict[str, Any]) -> None:
    """Print figures beside their floors."""
    t, p = figures["typename"], figures["page"]
    print(
        f"{{ __typename }}: {t['rps']} req/s, p50 {t['p50_ms']} ms, p99 {t['p99_ms']} ms "
        f"({t['connections']} conns)  floor >= {FLOORS['typename_rps']} req/s: "
        f"{'PASS' if t['rps'] >= FLOORS['typename_rps'] else 'BELOW'}"
    )
    print(
        f"{{ __typename }} server CPU per request: {figures['typename_cpu_ms']} ms "
        f"(profile: {overhead.PROFILE_TEXT.relative_to(ROOT)})"
    )
    ok = p["rps"] >= FLOORS["page_rps"] and p["p99_ms"] <= FLOORS["page_p99_ms"]
    print(
        f"customers(first: 50) page: {p['rps']} req/s, p50 {p['p50_ms']} ms, p99 "
        f"{p['p99_ms']} ms ({p['connections']} conns)  floor >= {FLOORS['page_rps']} req/s "
        f"and p99 <= {FLOORS['page_p99_ms']} ms: {'PASS' if ok else 'BELOW'}"
    )


def main() -> None:
    """Seed 10,000 customers and measure."""
    with database() as bench:
        seed_customers(bench, 10_000)
        report(measure(bench))
        report_cost(cost_overhead(bench))


if __name__ == "__main__":
    main()
