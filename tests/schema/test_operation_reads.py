"""Each operation reads on a session of its own, though a WebSocket's share one Context."""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa

from schema.context import Context, Principal


def _context(runtime: Any, tenant: Any) -> Context:
    principal = Principal("t", "acme", tenant, frozenset({"viewer"}))
    return Context(runtime=runtime, hub=None, request_id="r", principal=principal)


async def _one(conn: Any) -> int:
    return int((await conn.execute(sa.text("SELECT 1"))).scalar_one())


async def test_operations_on_one_context_keep_their_sessions_and_loaders_apart(runtime, tenants):
    ctx = _context(runtime, tenants["acme"])
    first_read = asyncio.Event()
    other_closed = asyncio.Event()
    seen: dict[str, Any] = {}

    async def operation(name: str, closes_early: bool) -> None:
        begun = ctx.begin_operation()
        try:
            session = ctx.session
            seen[name] = (session, ctx.loader("x", lambda c: object()))
            assert await session.run(_one) == 1
            first_read.set()
            if closes_early:  # a subscription between two events
                await ctx.close()
                other_closed.set()
            else:  # the other operation closed meanwhile: this one's session still reads
                await other_closed.wait()
                assert ctx.session is session
                assert await session.run(_one) == 1
        finally:
            await ctx.end_operation(begun)

    await asyncio.gather(operation("a", True), operation("b", False))
    (session_a, loader_a), (session_b, loader_b) = seen["a"], seen["b"]
    assert session_a is not session_b and loader_a is not loader_b
    # nothing is left checked out of the pool, and the context's own reads were never used
    assert runtime.engine.pool.checkedout() == 0
    assert ctx._own.session is None and not ctx._own.loaders


async def test_an_operation_ended_from_another_task_closes_its_own_session(runtime, tenants):
    ctx = _context(runtime, tenants["acme"])
    begun = ctx.begin_operation()
    assert await ctx.session.run(_one) == 1
    # finalised elsewhere (an abandoned stream closed by the event loop), not where it began
    await asyncio.create_task(ctx.end_operation(begun))
    assert runtime.engine.pool.checkedout() == 0
