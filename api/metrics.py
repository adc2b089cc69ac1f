"""Prometheus metrics: GraphQL requests and latency by operation; job runs by status.

With several API processes (`credit serve --workers N`) every process writes its samples to
PROMETHEUS_MULTIPROC_DIR (set by the CLI before the workers start) and /metrics, whichever
process answers, adds them up. The `_created` series are not exported.
"""

from __future__ import annotations

import os
import time
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from infra.request_context import operation_var
from schema.identity_memo import IdentityMemo

REQUESTS = Counter(
    "credit_graphql_requests_total", "GraphQL operations", ["operation", "type", "outcome"]
)
LATENCY = Histogram(
    "credit_graphql_request_seconds",
    "GraphQL operation latency",
    ["operation", "type"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
HTTP = Counter("credit_http_requests_total", "HTTP requests", ["route", "status"])
disable_created_metrics()
#: Job counts come from the database: every process reads the same figure, so the latest wins.
JOBS = Gauge(
    "credit_jobs",
    "Jobs by actor and status (all tenants)",
    ["actor", "status"],
    multiprocess_mode="mostrecent",
)
#: Each process holds its own subscribers: the exposition adds up the live processes.
SUBSCRIBERS = Gauge(
    "credit_subscribers", "Live subscriptions (all API processes)", multiprocess_mode="livesum"
)


_CHILDREN: dict[tuple[Any, ...], Any] = {}


def child(metric: Any, *labels: str) -> Any:
    """`metric.labels(*labels)`, remembered: prometheus_client checks the labels and takes a
    lock on every call, on every request. Bounded, as the label values are."""
    key = (metric, *labels)
    found = _CHILDREN.get(key)
    if found is None:
        found = _CHILDREN[key] = metric.labels(*labels)
    return found


MAX_OPERATION_LABELS = 200  #: distinct operation names tracked per process; others -> "other"
_tracked: set[str] = set()


def operation_label(name: str | None, authenticated: bool) -> str:
    """A bounded label: anyone can send any operation name, so only authenticated callers'
    names are tracked, and only the first few hundred of them."""
    if not authenticated:
        return "unauthenticated"
    if not name:
        return "anonymous"
    if name in _tracked:
        return name
    if len(_tracked) >= MAX_OPERATION_LABELS:
        return "other"
    _tracked.add(name)
    return name


#: An operation's type by document and operation name: read from the document once, not on
#: every request (strawberry's context walks the document each time it is asked).
_KINDS: IdentityMemo[str] = IdentityMemo(MAX_OPERATION_LABELS * 4)
#: (label, type, outcome) -> the request counter's and the latency histogram's children
_SERIES: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def _operation(ctx: Any) -> tuple[str | None, str]:
    """The operation's name and type ("unknown" when it has no document, or no such one)."""
    document = ctx.graphql_document
    if document is None:
        return ctx.operation_name, "unknown"
    name = ctx.operation_name
    return name, _KINDS.get(document, lambda: _kind(ctx), name)


def _kind(ctx: Any) -> str:
    """The operation's type as a label ("unknown" when the document has no such operation)."""
    try:
        return str(ctx.operation_type.value)
    except RuntimeError:
        return "unknown"


def _series(label: str, kind: str, outcome: str) -> tuple[Any, Any]:
    """The counter and histogram children of one operation's outcome (bounded: the labels are)."""
    key = (label, kind, outcome)
    found = _SERIES.get(key)
    if found is None:
        found = _SERIES[key] = (child(REQUESTS, label, kind, outcome), child(LATENCY, label, kind))
    return found


class OperationMetrics(SchemaExtension):
    """Count and time each operation under its (bounded) operation name."""

    def on_operation(self) -> Any:  # type: ignore[override]
        start = time.perf_counter()
        ctx = self.execution_context
        operation_var.set((ctx.operation_name or "anonymous")[:64])
        yield
        name, kind = _operation(ctx)
        label = operation_label(name, getattr(ctx.context, "principal", None) is not None)
        result = ctx.result
        counter, latency = _series(label, kind, "error" if result and result.errors else "ok")
        counter.inc()
        latency.observe(time.perf_counter() - start)


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus exposition."""
    hub = getattr(request.app.state, "hub", None)
    if hub is not None:
        SUBSCRIBERS.set(hub.subscriber_count)
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)


def exposition() -> bytes:
    """This process's metrics, or every API process's when they share a multiprocess dir."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest()
