"""Tenant administration: an operator action run as the database owner (CLI only)."""

from __future__ import annotations

import json
import re
from typing import Any

import psycopg

from dbschema.provision import plain
from domain.errors import DomainError

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def create_tenant(
    owner_url: str, slug: str, name: str, settings: dict[str, Any] | None = None
) -> tuple[str, bool]:
    """Create a tenant if missing; returns (id, created). Idempotent by slug."""
    if not SLUG.match(slug):
        raise DomainError("INVALID_SLUG", "lower-case letters, digits and -, 2-63 long", "slug")
    with psycopg.connect(plain(owner_url)) as conn:
        row = conn.execute(
            "INSERT INTO tenants (slug, name, settings) VALUES (%s, %s, %s::jsonb) "
            "ON CONFLICT (slug) DO NOTHING RETURNING id",
            (slug, name, json.dumps(settings or {})),
        ).fetchone()
        if row:
            return str(row[0]), True
        existing = conn.execute("SELECT id FROM tenants WHERE slug = %s", (slug,)).fetchone()
        assert existing is not None
        return str(existing[0]), False
