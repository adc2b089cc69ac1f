"""The coalescing transport: what a response writes in one loop step leaves as one write, in
order, and nothing is lost at close."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from api.http_protocol import CoalescingTransport


async def _pair() -> tuple[Any, socket.socket, list[bytes]]:
    """A real transport on one end of a socket pair, its writes recorded; the other end."""
    ours, theirs = socket.socketpair()
    loop = asyncio.get_running_loop()
    transport, _ = await loop.connect_accepted_socket(asyncio.Protocol, ours)
    sent: list[bytes] = []
    real_write = transport.write

    def recording(data: bytes) -> None:
        sent.append(bytes(data))
        real_write(data)

    transport.write = recording  # type: ignore[method-assign]
    theirs.setblocking(False)
    return transport, theirs, sent


async def _read(sock: socket.socket, size: int) -> bytes:
    loop = asyncio.get_running_loop()
    got = b""
    while len(got) < size:
        got += await loop.sock_recv(sock, size - len(got))
    return got


async def test_head_and_body_leave_in_one_write():
    transport, theirs, sent = await _pair()
    wrapped = CoalescingTransport(transport, asyncio.get_running_loop())
    # when a response's head and body are written in one step
    wrapped.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    wrapped.write(b"ok")
    assert sent == []  # held until the step ends
    await asyncio.sleep(0)
    # then they left as one write, in order, and arrive whole
    assert sent == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"]
    assert await _read(theirs, len(sent[0])) == sent[0]
    # and a write in a later step is a write of its own
    wrapped.write(b"more")
    await asyncio.sleep(0)
    assert sent[1:] == [b"more"]
    wrapped.close()
    theirs.close()


async def test_close_sends_what_is_held_and_abort_drops_it():
    transport, theirs, sent = await _pair()
    wrapped = CoalescingTransport(transport, asyncio.get_running_loop())
    wrapped.write(b"last words")
    assert wrapped.get_write_buffer_size() >= len(b"last words")
    wrapped.close()
    assert sent == [b"last words"]
    assert await _read(theirs, 10) == b"last words"
    theirs.close()

    transport, theirs, sent = await _pair()
    wrapped = CoalescingTransport(transport, asyncio.get_running_loop())
    wrapped.write(b"never")
    wrapped.abort()
    await asyncio.sleep(0)
    assert sent == []
    theirs.close()
