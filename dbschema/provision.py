"""Bring a database to head: create it, migrate as owner, give the app role a password."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")


def with_driver(url: str, driver: str) -> str:
    """Rewrite a postgresql:// URL for a SQLAlchemy driver (asyncpg or psycopg)."""
    _scheme, rest = url.split("://", 1)
    return f"postgresql+{driver}://{rest}" if driver else f"postgresql://{rest}"


def plain(url: str) -> str:
    """A libpq URL without a SQLAlchemy driver suffix."""
    _scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}"


def with_database(url: str, database: str) -> str:
    """The same server and user, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def with_user(url: str, user: str, password: str | None) -> str:
    """The same server and database, another login role."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    auth = user if password is None else f"{user}:{password}"
    return urlunsplit(parts._replace(netloc=f"{auth}@{host}"))


def database_name(url: str) -> str:
    """The database a URL points at."""
    return urlsplit(url).path.lstrip("/") or "postgres"


def ensure_database(owner_url: str) -> None:
    """Create the URL's database when missing (through the maintenance database)."""
    name = database_name(owner_url)
    admin = with_database(plain(owner_url), "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def alembic_config(owner_url: str, app_role: str) -> Config:
    """An Alembic config bound to a URL, without reading sqlalchemy.url from the ini."""
    cfg = Config(str(ALEMBIC_INI))
    cfg.attributes["url"] = with_driver(plain(owner_url), "psycopg")
    cfg.attributes["app_role"] = app_role
    return cfg


def migrate(owner_url: str, app_role: str, revision: str = "head") -> None:
    """Upgrade to a revision as the owner."""
    command.upgrade(alembic_config(owner_url, app_role), revision)


def downgrade(owner_url: str, app_role: str, revision: str = "base") -> None:
    """Downgrade to a revision as the owner (used by the migration round-trip test)."""
    command.downgrade(alembic_config(owner_url, app_role), revision)


def set_app_password(owner_url: str, app_role: str, password: str | None) -> None:
    """Give the app role its password for servers that do not trust local sockets."""
    if not password:
        return
    with psycopg.connect(plain(owner_url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(app_role), sql.Literal(password)
            )
        )
