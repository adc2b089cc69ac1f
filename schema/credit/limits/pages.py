"""Relay connection types for the limits API's lists, declared once by a factory."""

from __future__ import annotations

from typing import Any

import strawberry

from schema.relay import PageInfo


def paged(node: type, name: str, what: str) -> tuple[Any, Any]:
    """`<name>Edge` and `<name>Connection` over a node type, every field described."""
    edge = strawberry.type(
        type(
            f"{name}Edge",
            (),
            {
                "__annotations__": {"cursor": str, "node": node},
                "cursor": strawberry.field(description="Opaque cursor for `after`."),
                "node": strawberry.field(description=f"The {what}."),
            },
        ),
        description=f"A {what}, with its cursor.",
    )
    connection = strawberry.type(
        type(
            f"{name}Connection",
            (),
            {
                "__annotations__": {"edges": list[edge], "page_info": PageInfo},  # type: ignore[valid-type]
                "edges": strawberry.field(description=f"The {what}s of this page."),
                "page_info": strawberry.field(description="Where the page sits in the list."),
            },
        ),
        description=f"A page of {what}s, newest first.",
    )
    return edge, connection
