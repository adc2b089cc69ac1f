"""Read entry point for the tenant's profile."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.permissions import allow, roles_note
from schema.tenant.types import TenantProfile
from services.tenant import profile

READ = roles.READ_CUSTOMERS


@strawberry.type(description="Tenant reads.")
class TenantQuery:
    @strawberry.field(
        description="Your company's particulars as documents print them." + roles_note(READ),
        extensions=allow(READ),
    )
    async def tenant_profile(self, info: Info[Context, Any]) -> TenantProfile:
        return TenantProfile.of(await profile.load(info.context.session))
