"""No request body over the ceiling is read: declared too long, it is refused before reading;
streamed without a length, it is refused once it passes the ceiling; up to it, it is served."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from api import body_limit
from infra.settings import Settings
from tests.conftest import Database, LiveServer, token


def _page_request(padding: int) -> bytes:
    """A valid GraphQL request padded with a comment to a chosen size."""
    return json.dumps({"query": "{ __typename }\n#" + "x" * padding}).encode()


async def _chunks(body: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_a_body_over_the_ceiling_is_refused_declared_or_streamed(
    client: httpx.AsyncClient,
    settings: Settings,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a ceiling of 4,000 bytes, and 3,000 for CSV uploads
    monkeypatch.setattr(body_limit, "MAX_BODY_BYTES", 4000)
    monkeypatch.setattr(body_limit, "UPLOAD_MAX_BYTES", 3000)
    headers = {"Authorization": f"Bearer {token(settings)}", "Content-Type": "application/json"}
    small, large = _page_request(3000), _page_request(5000)
    # when a body under it comes declared and streamed, then it is served
    for content in (small, _chunks(small)):
        answer = await client.post("/graphql", content=content, headers=headers)
        assert answer.status_code == 200 and answer.json() == {"data": {"__typename": "Query"}}
    # when one over it comes declared, then streamed (no Content-Length), then it is a 413
    for content in (large, _chunks(large)):
        answer = await client.post("/graphql", content=content, headers=headers)
        assert answer.status_code == 413, answer.text
        error = answer.json()["errors"][0]
        assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        assert "4000 bytes" in error["message"]
        assert answer.headers["x-request-id"]  # the edge still names the request
    # and a CSV upload over its own ceiling, declared or streamed by a role that may import,
    # gets the routes' JSON error shape, nothing imported
    uploader = {"Authorization": f"Bearer {token(settings, roles=['finance'])}"}
    for content in (b"x" * 3500, _chunks(b"x" * 3500)):
        answer = await client.post("/imports/invoices.csv", content=content, headers=uploader)
        assert answer.status_code == 413, answer.text
        assert answer.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
        assert "3000 bytes" in answer.json()["error"]["message"]
    assert database.query("SELECT count(*) FROM invoices") == [(0,)]


async def test_a_real_server_refuses_a_body_over_sixteen_megabytes(
    live_server: LiveServer, settings: Settings
) -> None:
    # given the default ceiling, over real HTTP
    headers = {"Authorization": f"Bearer {token(settings)}", "Content-Type": "application/json"}
    url = live_server.url + "/graphql"
    async with httpx.AsyncClient(timeout=60) as http:
        # when a request just under it is sent, then it is answered
        under = _page_request(body_limit.MAX_BODY_BYTES - 100)
        answer = await http.post(url, content=under, headers=headers)
        assert answer.status_code == 200, answer.text[:200]
        # when one just over it is sent, then it is refused with 413
        over = _page_request(body_limit.MAX_BODY_BYTES)
        answer = await http.post(url, content=over, headers=headers)
        assert answer.status_code == 413
        assert answer.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
