"""Operations endpoints: health, readiness, metrics, request ids and JSON logs."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from infra.logs import PIPE_BUF, JsonFormatter, configure, info_line
from tests.conftest import free_port, gql, token


async def test_health_and_readiness(client):
    health = await client.get("/healthz")
    ready = await client.get("/readyz")
    assert health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}


async def test_readiness_fails_when_the_broker_is_unreachable(settings, runtime, tenants):
    # given: a Redis broker URL where nothing listens
    broken = type(settings)(
        **{**settings.__dict__, "broker_url": f"redis://127.0.0.1:{free_port()}/0"}
    )
    app = create_app(broken, runtime)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            # when
            ready = await c.get("/readyz")
    # then
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "ok"
    assert ready.json()["checks"]["broker"].startswith("error")


async def test_metrics_count_operations_by_name(client, settings):
    await gql(client, "query CountMe { customers { totalCount } }", bearer=token(settings))
    text = (await client.get("/metrics")).text
    assert 'credit_graphql_requests_total{operation="CountMe",outcome="ok",type="query"}' in text
    assert "credit_graphql_request_seconds_bucket" in text


async def test_request_id_is_echoed(client):
    response = await client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32


def test_json_log_lines_carry_request_id_and_tenant():
    from infra.request_context import request_id_var, tenant_var

    request_id_var.set("rid-1")
    tenant_var.set("acme")
    record = logging.makeLogRecord(
        {"name": "t", "msg": "hello %s", "args": ("world",), "levelname": "INFO"}
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"] == "hello world"
    assert (line["request_id"], line["tenant"]) == ("rid-1", "acme")


def test_json_log_lines_keep_extras_chinese_text_and_values_orjson_cannot_write():
    record = logging.makeLogRecord(
        {"name": "t", "msg": "催款函 %s", "args": ("已发送",), "levelname": "INFO",
         "created": 1764633600.25, "msecs": 250.0, "status": 200, "big": 2**70}
    )  # fmt: skip
    text = JsonFormatter().format(record)
    line = json.loads(text)
    assert line["msg"] == "催款函 已发送" and "催款函" in text  # not escaped
    assert line["ts"] == "2025-12-02T00:00:00.250Z"
    assert (line["status"], line["big"]) == (200, 2**70)  # the stdlib writes what orjson cannot


#: loggers whose handlers, propagation or level configure() sets
_TOUCHED = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "weasyprint",
            "weasyprint.progress", "fontTools")  # fmt: skip


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """configure() on a string stream; everything it changes as it was after (the suite's
    other tests share the process). A test calls `_alone()` first: pytest adds its capture
    handlers after fixtures run."""
    import infra.logs

    for name in ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing"):
        monkeypatch.setattr(logging, name, getattr(logging, name))
    monkeypatch.setattr(infra.logs, "_handler", infra.logs._handler)
    loggers = [logging.getLogger(name) for name in _TOUCHED]
    saved = [(lg.handlers[:], lg.propagate, lg.level) for lg in loggers]
    stream = io.StringIO()
    configure("INFO", stream)
    try:
        yield stream
    finally:
        for lg, (handlers, propagate, level) in zip(loggers, saved, strict=True):
            lg.handlers[:] = handlers
            lg.propagate = propagate
            lg.setLevel(level)


def _alone() -> None:
    import infra.logs

    logging.getLogger().handlers[:] = [infra.logs._handler]


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    logging.getLogger().handlers[0].flush()
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_request_line_is_the_same_json_without_a_log_record(configured, monkeypatch):
    from infra.request_context import operation_var, request_id_var, tenant_var

    _alone()
    monkeypatch.setattr(logging.Logger, "makeRecord", None)  # no LogRecord is made

    request_id_var.set("rid-9")
    tenant_var.set("acme")
    operation_var.set("CountMe")
    fields = {"method": "POST", "path": "/graphql", "status": 200, "ms": 1.25}
    info_line(logging.getLogger("credit.api"), "request", fields)
    assert configured.getvalue()  # outside an event loop it is written at once
    monkeypatch.undo()
    [fast] = _lines(configured)
    record = logging.makeLogRecord({"name": "credit.api", "msg": "request", "levelname": "INFO"})
    vars(record).update(fields)
    slow = json.loads(JsonFormatter().format(record))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", fast.pop("ts"))
    slow.pop("ts")
    assert fast == slow
    assert list(fast) == list(slow)  # and in the same order


async def test_request_lines_wait_for_the_loop_step_and_keep_their_order(configured):
    _alone()
    api = logging.getLogger("credit.api")
    info_line(api, "request", {"n": 1})
    info_line(api, "request", {"n": 2})
    assert configured.getvalue() == ""  # one write when this step yields
    logging.getLogger("credit.jobs").warning("between")  # written after what was queued
    info_line(api, "request", {"n": 3})
    await asyncio.sleep(0)
    lines = [json.loads(line) for line in configured.getvalue().splitlines()]
    assert [(line["msg"], line.get("n")) for line in lines] == [
        ("request", 1), ("request", 2), ("between", None), ("request", 3)
    ]  # fmt: skip


def test_request_lines_take_the_ordinary_way_when_another_handler_listens(configured):
    _alone()
    api = logging.getLogger("credit.api")
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    keep = Keep()
    api.addHandler(keep)
    try:
        info_line(api, "request", {"status": 201})
    finally:
        api.removeHandler(keep)
    assert [(r.getMessage(), r.status) for r in seen] == [("request", 201)]  # type: ignore[attr-defined]
    api.setLevel(logging.WARNING)
    try:
        info_line(api, "request", {"status": 202})  # a level turns the line off
    finally:
        api.setLevel(logging.NOTSET)
    assert [line["status"] for line in _lines(configured)] == [201]  # the stream had the first


def test_a_failed_write_of_request_lines_is_reported_not_raised(configured, capsys):
    _alone()

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError("pipe closed")

    logging.getLogger().handlers[0].setStream(Closed())  # type: ignore[attr-defined]
    info_line(logging.getLogger("credit.api"), "request", {"status": 200})  # written at once
    assert "--- Logging error ---" in capsys.readouterr().err


def test_request_lines_take_the_ordinary_way_past_a_handler_level(configured):
    _alone()
    handler = logging.getLogger().handlers[0]
    handler.setLevel(logging.WARNING)
    info_line(logging.getLogger("credit.api"), "request", {"status": 200})
    handler.setLevel(logging.NOTSET)
    assert _lines(configured) == []  # the handler's level holds for the request line too


async def test_queued_lines_are_written_by_a_flush_and_in_writes_a_pipe_keeps_whole(
    configured, monkeypatch
):
    _alone()
    writes: list[str] = []
    real_write = configured.write
    monkeypatch.setattr(configured, "write", lambda text: writes.append(text) or real_write(text))
    api = logging.getLogger("credit.api")
    for n in range(40):  # ~40 x 200 bytes in one loop step
        info_line(api, "request", {"n": n, "path": "/graphql" + "x" * 60})
    assert writes == []
    logging.getLogger().handlers[0].flush()  # what logging.shutdown does at exit
    assert len(writes) > 1 and all(len(w.encode()) <= PIPE_BUF for w in writes)
    assert all(w.endswith("\n") for w in writes)  # whole lines in each write
    assert [line["n"] for line in _lines(configured)] == list(range(40))


def test_a_line_queued_on_a_loop_that_closed_is_written_on_the_next_loop(configured):
    _alone()
    api = logging.getLogger("credit.api")

    async def queue(n: int, stop: bool) -> None:
        info_line(api, "request", {"n": n})
        if stop:  # the loop ends with this step: the flush queued on it never runs
            asyncio.get_running_loop().stop()

    first = asyncio.new_event_loop()
    first.run_until_complete(queue(1, stop=True))
    first.close()
    assert configured.getvalue() == ""
    asyncio.run(queue(2, stop=False))  # a new loop queues a flush of its own
    assert configured.getvalue().count("\n") == 2  # written by that loop's step
    assert [line["n"] for line in _lines(configured)] == [1, 2]
