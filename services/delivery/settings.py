"""A tenant's outgoing mail server: saved validated, read back without its password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.delivery_tables import smtp_settings
from domain.delivery import Security, SmtpSettings, check_smtp
from domain.errors import DomainError
from services.read_session import ReadSession
from services.uow import UnitOfWork

KEEP: Any = object()  #: a password left as it is (the API never reads it back to resend it)


@dataclass(frozen=True)
class MailServer:
    """The mail server as shown: everything but the password, which only says it is set."""

    host: str
    port: int
    security: Security
    username: str | None
    password_set: bool
    from_address: str
    from_name: str | None
    reply_to: str | None
    version: int
    updated_by: str | None
    updated_at: datetime


@dataclass(frozen=True)
class MailServerChange:
    """What an administrator saves; `password` KEEP leaves the stored one."""

    host: str | None
    port: int | None
    security: str
    username: str | None
    password: Any
    from_address: str | None
    from_name: str | None = None
    reply_to: str | None = None


def _shown(row: Any) -> MailServer:
    return MailServer(
        host=row.host,
        port=row.port,
        security=Security(row.security),
        username=row.username,
        password_set=row.password is not None,
        from_address=row.from_address,
        from_name=row.from_name,
        reply_to=row.reply_to,
        version=row.version,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def _usable(row: Any) -> SmtpSettings:
    return SmtpSettings(
        host=row.host,
        port=row.port,
        security=Security(row.security),
        username=row.username,
        password=row.password,
        from_address=row.from_address,
        from_name=row.from_name,
        reply_to=row.reply_to,
    )


async def shown(session: ReadSession) -> MailServer | None:
    """The tenant's mail server without its password; None when none is configured."""
    rows = await session.run(lambda conn: conn.execute(sa.select(smtp_settings)))
    row = rows.first()
    return _shown(row) if row is not None else None


async def usable(uow: UnitOfWork) -> SmtpSettings | None:
    """The settings a delivery logs in with (password included); None when not configured."""
    row = (await uow.conn.execute(sa.select(smtp_settings))).first()
    return _usable(row) if row is not None else None


async def save(uow: UnitOfWork, version: int, change: MailServerChange) -> MailServer:
    """Save the mail server (version 0 creates it); every problem is refused at once."""
    current = (await uow.conn.execute(sa.select(smtp_settings).with_for_update())).first()
    password = (
        (current.password if current is not None else None)
        if change.password is KEEP
        else change.password
    )
    if change.username is None:
        password = None  # no login: a stored password goes too
    checked = check_smtp(
        change.host,
        change.port,
        change.security,
        change.username,
        password,
        change.from_address,
        change.from_name,
        change.reply_to,
    )
    values = {
        "host": checked.host,
        "port": checked.port,
        "security": checked.security.value,
        "username": checked.username,
        "password": checked.password,
        "from_address": checked.from_address,
        "from_name": checked.from_name,
        "reply_to": checked.reply_to,
        "updated_by": uow.actor.subject,
        "updated_at": sa.func.now(),
    }
    if current is None and version == 0:
        stored = await uow.conn.scalar(
            insert(smtp_settings)
            .values(tenant_id=uow.tenant_id, **values)
            .on_conflict_do_nothing()
            .returning(smtp_settings.c.tenant_id)
        )
    elif current is not None and current.version == version:
        stored = await uow.conn.scalar(
            smtp_settings.update()
            .values(**values, version=smtp_settings.c.version + 1)
            .returning(smtp_settings.c.tenant_id)
        )
    else:
        stored = None
    if stored is None:
        raise DomainError("STALE_VERSION", "the settings changed since you read them", "version")
    row = (await uow.conn.execute(sa.select(smtp_settings))).one()
    return _shown(row)


async def remove(uow: UnitOfWork, version: int) -> bool:
    """Forget the mail server (and its password); documents then go out printed only.
    STALE_VERSION when it changed since read; False when there was none."""
    result = await uow.conn.execute(smtp_settings.delete().returning(smtp_settings.c.version))
    removed = result.first()
    if removed is not None and removed.version != version:
        raise DomainError("STALE_VERSION", "the settings changed since you read them", "version")
    return removed is not None
