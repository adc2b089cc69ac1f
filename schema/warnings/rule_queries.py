"""Read entry points of the early-warning rules: settings and rule quality."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.permissions import allow, roles_note
from schema.warnings.rule_types import WarningRuleQuality, WarningRuleSettings
from services.warnings import quality, settings

READ = roles.READ_CUSTOMERS


@strawberry.type(description="Early-warning rule settings and quality.")
class WarningRuleQuery:
    @strawberry.field(
        description="Your tenant's early-warning rules: thresholds (with defaults and ranges), "
        "industries in downturn, responses and SLAs per level." + roles_note(READ),
        extensions=allow(READ),
    )
    async def warning_rules(self, info: Info[Context, Any]) -> WarningRuleSettings:
        return WarningRuleSettings.from_settings(await settings.load(info.context.session))

    @strawberry.field(
        description="Per rule: warnings fired, confirmed, dismissed as false alarms, and for "
        "each customer of the bad-debt case library how many days before its write-off the "
        "rule first warned (or that it never did)." + roles_note(roles.READ_CASES),
        extensions=allow(roles.READ_CASES),
    )
    async def warning_rule_quality(self, info: Info[Context, Any]) -> list[WarningRuleQuality]:
        found = await quality.rule_quality(info.context.session)
        return [WarningRuleQuality.from_quality(q) for q in found]
