"""`make bench` reads wrk's report: a slow round must be read, not crash the bench."""

from __future__ import annotations

from benchmarks.graphql_http import parse_wrk

#: wrk 4's --latency report of a slow round: figures in seconds are padded with a space
SLOW_ROUND = """Running 2s test @ http://127.0.0.1:37545/graphql
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   201.06ms  354.71ms   1.33s    83.26%
    Req/Sec   224.46     80.82   373.00     78.05%
  Latency Distribution
     50%   20.44ms
     75%  164.47ms
     90%  850.30ms
     99%    1.27s{PAD}
  927 requests in 3.29s, 24.70MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    282.08
Transfer/sec:      7.52MB
""".format(PAD=" ")


def test_a_round_with_seconds_in_its_percentiles_is_read():
    assert parse_wrk(SLOW_ROUND, 8) == {
        "rps": 282.1,
        "requests": 927,
        "p50_ms": 20.44,
        "p99_ms": 1270.0,
        "non_2xx": 3,
        "connections": 8,
    }
