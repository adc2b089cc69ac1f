"""A keep-alive HTTP/1.1 POST client on bare asyncio streams, for open-loop load.

httpx spends about 3.8 ms of CPU per request on this machine: at 200 requests a second the load
generator alone would take most of a core from the two the server and PostgreSQL share, and
the benchmark would measure the client. Requests here are encoded once, in advance; a
response is read by its Content-Length and parsed by orjson. Enough for our own server's
answers (uvicorn always sends Content-Length for them), not a general client.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import orjson


class LeanConnection:
    """One keep-alive connection; requests go one at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, url: str) -> LeanConnection:
        """Connect to the host and port of `url`."""
        parts = urlsplit(url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
        return cls(reader, writer)

    async def send(self, request: bytes) -> tuple[int, Any]:
        """Send an encoded request; the status and the decoded JSON body."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
                break
        body = await self.reader.readexactly(length)
        return status, orjson.loads(body) if body else None

    async def close(self) -> None:
        """Close the connection."""
        self.writer.close()
        await self.writer.wait_closed()


def encode_post(url: str, path: str, body: Any, headers: dict[str, str]) -> bytes:
    """A complete JSON POST request, ready to write."""
    parts = urlsplit(url)
    payload = orjson.dumps(body)
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
        *(f"{k}: {v}" for k, v in headers.items()),
        "",
        "",
    ]
    return "\r\n".join(lines).encode("latin-1") + payload
