"""Read entry points for the receivables policy and the payment-terms catalogue."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.configuration.mutations import template_view
from schema.configuration.types import ClassTerms, PaymentTermsCatalogue, ReceivablesSettings, Terms
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
        config = await info.context.session.run(receivables_config.load)
        return ReceivablesSettings.build(config)

    @strawberry.field(
        description="Payment-terms templates and each rating class's terms." + roles_note(READ),
        extensions=allow(READ),
    )
    async def payment_terms(self, info: Info[Context, Any]) -> PaymentTermsCatalogue:
        rows, classes = await info.context.session.run(payment_terms.listing)
        return PaymentTermsCatalogue(
            templates=[template_view(r) for r in rows],
            class_defaults=[
                ClassTerms(rating_class=k, terms=Terms.build(v)) for k, v in classes.items()
            ],
        )
