"""The warning rules as a tenant has set them, and each rule's quality record."""

from __future__ import annotations

from uuid import UUID

import strawberry

from domain.warning_rules.levels import Level
from domain.warning_rules.lifecycle import sla_hours
from domain.warning_rules.quality import RuleQuality
from domain.warning_rules.thresholds import RULES
from schema.relay import to_global_id
from schema.warnings.response_types import WarningResponseAction
from services.warnings.settings import WarningSettings


@strawberry.type(description="One threshold of a rule: its value and what it may be.")
class WarningThreshold:
    name: str = strawberry.field(description="The field name (as updateWarningRule takes it).")
    value: int = strawberry.field(description="The value in force for your tenant.")
    default: int = strawberry.field(description="The value as shipped.")
    min: int = strawberry.field(description="Lowest allowed value.")
    max: int = strawberry.field(description="Highest allowed value.")
    meaning: str = strawberry.field(description="What it measures.")


@strawberry.type(description="One early-warning rule and its thresholds.")
class WarningRule:
    rule: str = strawberry.field(description="The rule's name, also the kind of its warnings.")
    enabled: bool = strawberry.field(description="Whether the rules run evaluates it.")
    thresholds: list[WarningThreshold] = strawberry.field(description="Its thresholds.")


@strawberry.type(description="The responses raised for warnings of one level.")
class WarningLevelResponses:
    level: str = strawberry.field(description="LIGHT, MEDIUM or SEVERE.")
    actions: list[WarningResponseAction] = strawberry.field(description="What is done.")
    sla_hours: int = strawberry.field(
        description="Hours a warning of this level may stay OPEN before it is escalated."
    )


@strawberry.type(description="Your tenant's early-warning rules, responses and SLAs.")
class WarningRuleSettings:
    rules: list[WarningRule] = strawberry.field(description="Every rule.")
    downturn_industries: list[str] = strawberry.field(
        description="Industries flagged as in downturn (INDUSTRY_DOWNTURN fires on them)."
    )
    levels: list[WarningLevelResponses] = strawberry.field(description="Per level.")
    version: int = strawberry.field(description="Bumped by every change (0: all defaults).")

    @classmethod
    def from_settings(cls, s: WarningSettings) -> WarningRuleSettings:
        """From the settings service's view."""
        return cls(
            rules=[
                WarningRule(
                    rule=rule,
                    enabled=rule not in s.disabled,
                    thresholds=[
                        WarningThreshold(
                            name=name,
                            value=s.thresholds[rule][name],
                            default=f.default,
                            min=f.low,
                            max=f.high,
                            meaning=f.meaning,
                        )
                        for name, f in fields.items()
                    ],
                )
                for rule, fields in RULES.items()
            ],
            downturn_industries=list(s.downturn_industries),
            levels=[
                WarningLevelResponses(
                    level=level.value,
                    actions=[WarningResponseAction(a.value) for a in s.responses[level]],
                    sla_hours=sla_hours(level, s.sla_hours),
                )
                for level in Level
            ],
            version=s.version,
        )


@strawberry.type(description="How early a rule warned of one written-off customer.")
class WriteOffLead:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    written_off_on: str = strawberry.field(description="Date of its first bad-debt case.")
    days_before: int | None = strawberry.field(
        description="Days between the rule's first warning and the write-off; null: it never "
        "warned beforehand."
    )


@strawberry.type(description="A rule's record: how it fired and how early it saw bad debts.")
class WarningRuleQuality:
    rule: str = strawberry.field(description="The rule (warning kind).")
    fired: int = strawberry.field(description="Warnings it raised.")
    confirmed: int = strawberry.field(description="Of those, marked true alarms.")
    false_alarms: int = strawberry.field(description="Of those, dismissed as false alarms.")
    caught: int = strawberry.field(description="Write-offs it warned of beforehand.")
    write_offs: list[WriteOffLead] = strawberry.field(
        description="Each customer of the bad-debt case library against this rule."
    )

    @classmethod
    def from_quality(cls, q: RuleQuality) -> WarningRuleQuality:
        """From the domain's record."""
        return cls(
            rule=q.rule,
            fired=q.fired,
            confirmed=q.confirmed,
            false_alarms=q.false_alarms,
            caught=q.caught,
            write_offs=[
                WriteOffLead(
                    customer_id=to_global_id("Customer", UUID(o.customer_id)),
                    written_off_on=o.written_off_on.isoformat(),
                    days_before=o.days_before,
                )
                for o in q.write_offs
            ],
        )
