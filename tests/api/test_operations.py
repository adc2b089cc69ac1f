"""Operations endpoints: health, readiness, metrics, request ids and JSON logs."""

from __future__ import annotations

import json
import logging

import httpx
from asgi_lifespan import LifespanManager

from api.app import create_app
from infra.logs import JsonFormatter
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
