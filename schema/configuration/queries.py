"""Read entry points for the receivables policy and the payment-terms catalogue."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.configuration.types import PaymentTermsCatalogue, ReceivablesSettings
from schema.context import Context
from schema.permissions import allow, roles_note
from services.configuration import payment_terms
from services.configuration import policy as receivables_config

READ = roles.READ_RECEIVABLES_CONFIG


@strawberry.type(description="Configuration reads.")
class ConfigQuery:
    @strawberry.field(
        description="The receivables policy in effect, defaults filled in." + roles_note(READ),
        extensions=allow(READ),
    )
    async def receivables_settings(self, info: Info[Context, Any]) -> ReceivablesSettings:
        return ReceivablesSettings.build(await receivables_config.read(info.context.session))

    @strawberry.field(
        description="Payment-terms templates and each rating class's terms." + roles_note(READ),
        extensions=allow(READ),
    )
    async def payment_terms(self, info: Info[Context, Any]) -> PaymentTermsCatalogue:
        return PaymentTermsCatalogue.build(await payment_terms.catalogue(info.context.session))
