"""updateSmtpSettings and removeSmtpSettings: the tenant's outgoing mail server."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.delivery.errors import DELIVERY
from schema.delivery.types import MailSecurity, SmtpSettings
from schema.mutation import INPUT, respond
from schema.permissions import allow, roles_note
from services.delivery import settings
from services.uow import UnitOfWork

WRITE = roles.CONFIGURE_TENANT


@strawberry.input(description="Your mail server, as letters, statements and reminders use it.")
class UpdateSmtpSettingsInput:
    version: int = strawberry.field(description="The version you read (0 for the first save).")
    host: str | None = strawberry.field(
        default=None, description="Host name, e.g. smtp.exmail.qq.com (required)."
    )
    security: MailSecurity = strawberry.field(
        default=MailSecurity.STARTTLS, description="STARTTLS (default), TLS or NONE."
    )
    port: int | None = strawberry.field(
        default=None, description="Default: 587 for STARTTLS, 465 for TLS, 25 for NONE."
    )
    username: str | None = strawberry.field(default=None, description="Login, if needed.")
    password: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Omitted: the stored password is kept; it is never shown again.",
    )
    from_address: str | None = strawberry.field(
        default=None, description="The sender's address (required)."
    )
    from_name: str | None = strawberry.field(default=None, description="The sender's name.")
    reply_to: str | None = strawberry.field(default=None, description="Replies go here.")


@strawberry.input(description="Forget the mail server.")
class RemoveSmtpSettingsInput:
    version: int = strawberry.field(description="The version you read.")


@strawberry.type(description="Result of updateSmtpSettings.")
class SmtpSettingsPayload(DELIVERY.payload):
    smtp_settings: SmtpSettings | None = strawberry.field(
        default=None, description="The settings as saved (no password)."
    )


@strawberry.type(description="Result of removeSmtpSettings.")
class RemoveSmtpSettingsPayload(DELIVERY.payload):
    removed: bool = strawberry.field(default=False, description="Whether settings existed.")


async def update_smtp_settings(
    info: Info[Context, Any], input: Annotated[UpdateSmtpSettingsInput, INPUT]
) -> SmtpSettingsPayload:
    change = settings.MailServerChange(
        host=input.host,
        port=input.port,
        security=input.security.value,
        username=input.username,
        password=settings.KEEP if input.password is strawberry.UNSET else input.password,
        from_address=input.from_address,
        from_name=input.from_name,
        reply_to=input.reply_to,
    )

    async def work(uow: UnitOfWork) -> settings.MailServer:
        return await settings.save(uow, input.version, change)

    async def show(saved: settings.MailServer) -> dict[str, Any]:
        return {"smtp_settings": SmtpSettings.of(saved)}

    return await respond(info, SmtpSettingsPayload, work, show)


async def remove_smtp_settings(
    info: Info[Context, Any], input: Annotated[RemoveSmtpSettingsInput, INPUT]
) -> RemoveSmtpSettingsPayload:
    async def work(uow: UnitOfWork) -> bool:
        return await settings.remove(uow, input.version)

    async def show(removed: bool) -> dict[str, Any]:
        return {"removed": removed}

    return await respond(info, RemoveSmtpSettingsPayload, work, show)


FIELDS = {
    "update_smtp_settings": strawberry.mutation(
        resolver=update_smtp_settings,
        extensions=allow(WRITE),
        description="Set your outgoing mail server (version-checked; the password is write-only)."
        + roles_note(WRITE),
    ),
    "remove_smtp_settings": strawberry.mutation(
        resolver=remove_smtp_settings,
        extensions=allow(WRITE),
        description="Forget your mail server and its password; documents then go out printed."
        + roles_note(WRITE),
    ),
}
