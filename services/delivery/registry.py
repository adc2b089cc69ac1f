"""The channels a tenant can send through, opened from its settings: only SMTP ships.

An SMS or WeCom/DingTalk channel is a `Channel` (services.delivery.channels) with its own
settings, opened here under its name.
"""

from __future__ import annotations

from services.delivery import settings
from services.delivery.channels import EMAIL, Channel
from services.delivery.smtp import SmtpChannel
from services.uow import UnitOfWork


async def open_channel(uow: UnitOfWork, name: str) -> Channel | None:
    """The tenant's channel of that name, ready to send; None when it is not configured."""
    if name == EMAIL:
        configured = await settings.usable(uow)
        return SmtpChannel(configured) if configured is not None else None
    return None
