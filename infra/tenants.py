"""Tenant administration: an operator action run as the database owner (CLI only)."""

from __future__ import annotations

import json
import re
from typing import Any

import psycopg

from dbschema.provision import plain
from domain.errors import DomainError

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


NAME_MAX = 200  #: a tenant's display name


def check(slug: str, name: str | None = None) -> None:
    """Refuse a malformed slug or name before anything touches the database."""
    if not SLUG.match(slug):
        raise DomainError("INVALID_SLUG", "a slug is 2-63 lower-case letters, digits and -", "slug")
    if name is not None and not (0 < len(name.strip()) <= NAME_MAX):
        raise DomainError("INVALID_NAME", f"a name is 1-{NAME_MAX} characters", "name")


def create_tenant(
    owner_url: str, slug: str, name: str, settings: dict[str, Any] | None = None
) -> tuple[str, bool]:
    """Create a tenant if missing; returns (id, created). Idempotent by slug."""
    check(slug, name)
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


def tenant_named(owner_url: str, slug: str) -> tuple[str, str] | None:
    """(id, name) of a tenant, or None."""
    check(slug)
    with psycopg.connect(plain(owner_url)) as conn:
        row = conn.execute("SELECT id, name FROM tenants WHERE slug = %s", (slug,)).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def list_tenants(owner_url: str) -> list[dict[str, str]]:
    """Every tenant, by slug."""
    with psycopg.connect(plain(owner_url)) as conn:
        rows = conn.execute(
            "SELECT id, slug, name, created_at FROM tenants ORDER BY slug"
        ).fetchall()
    return [
        {"id": str(r[0]), "slug": r[1], "name": r[2], "createdAt": r[3].isoformat()} for r in rows
    ]


def rename_tenant(owner_url: str, slug: str, name: str) -> bool:
    """Give a tenant a new display name; False when there is no such tenant."""
    check(slug, name)
    with psycopg.connect(plain(owner_url)) as conn:
        done = conn.execute(
            "UPDATE tenants SET name = %s WHERE slug = %s RETURNING id", (name.strip(), slug)
        ).fetchone()
    return done is not None
