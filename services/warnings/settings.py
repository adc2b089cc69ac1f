"""A tenant's warning rules: thresholds over the defaults, rules switched off, industries in
downturn, responses per level and SLAs. Every change is validated, audited and versioned."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import warning_settings as q
from domain.audit import AuditAction
from domain.errors import DomainError, ValidationFailed
from domain.warning_rules import responses as response_rules
from domain.warning_rules import thresholds as th
from domain.warning_rules.levels import Level
from domain.warning_rules.responses import Action
from services import audit
from services.read_session import ReadSession
from services.uow import UnitOfWork

MAX_INDUSTRIES = 100  #: a tenant flags a few sectors, not a classification (a CHECK mirrors it)
MAX_INDUSTRY_LENGTH = 100
MAX_SLA_HOURS = 24 * 90  #: an SLA beyond a quarter is no SLA


@dataclass(frozen=True)
class WarningSettings:
    """The rules as they run for a tenant (defaults where it changed nothing)."""

    thresholds: dict[str, dict[str, int]]
    overrides: dict[str, dict[str, int]]
    disabled: tuple[str, ...]
    downturn_industries: tuple[str, ...]
    responses: dict[Level, tuple[Action, ...]]
    sla_hours: dict[str, int]
    version: int


def _settings(row: Any) -> WarningSettings:
    overrides = dict(row.thresholds) if row else {}
    return WarningSettings(
        thresholds=th.effective(overrides),
        overrides=overrides,
        disabled=tuple(row.disabled) if row else (),
        downturn_industries=tuple(row.downturn_industries) if row else (),
        responses=response_rules.plan(row.responses if row else {}),
        sla_hours=dict(row.sla_hours) if row else {},
        version=int(row.version) if row else 0,
    )


async def load_in(conn: AsyncConnection) -> WarningSettings:
    """The settings, read on a connection a unit of work or session already holds."""
    return _settings(await q.load(conn))


async def load(session: ReadSession) -> WarningSettings:
    """The settings, for reads."""
    return await session.run(load_in)


async def update_rule(
    uow: UnitOfWork, rule: str, thresholds: Mapping[str, Any], enabled: bool | None
) -> WarningSettings:
    """Change one rule's thresholds (and switch it on or off); refused whole on any error."""
    current = _settings(await q.load(uow.conn, lock=True))
    if not isinstance(thresholds, Mapping):
        raise ValidationFailed(
            [DomainError("INVALID_THRESHOLD", "must be an object", "thresholds")]
        )
    merged = th.validate(rule, thresholds, current.thresholds.get(rule, {}))
    overrides = {**current.overrides, rule: {**current.overrides.get(rule, {}), **dict(thresholds)}}
    disabled = set(current.disabled)
    if enabled is not None:
        (disabled.discard if enabled else disabled.add)(rule)
    values = {"thresholds": overrides, "disabled": sorted(disabled)}
    await q.save(uow.conn, uow.tenant_id, uow.actor.subject, values)
    await audit.record(
        uow,
        AuditAction.UPDATE_WARNING_SETTINGS,
        "WarningRule",
        uow.tenant_id,
        None,
        {
            "rule": {"after": rule},
            "thresholds": {"before": current.thresholds.get(rule), "after": merged},
            "enabled": {"before": rule not in current.disabled, "after": rule not in disabled},
        },
    )
    return await load_in(uow.conn)


def _industries(values: list[str], errors: list[DomainError]) -> list[str]:
    if len(values) > MAX_INDUSTRIES:
        errors.append(DomainError("TOO_MANY", f"at most {MAX_INDUSTRIES}", "downturnIndustries"))
    out = []
    for i, value in enumerate(values):
        text = value.strip()
        if not text or len(text) > MAX_INDUSTRY_LENGTH:
            errors.append(
                DomainError("OUT_OF_RANGE", "1 to 100 characters", f"downturnIndustries.{i}")
            )
        elif text not in out:
            out.append(text)
    return out


def _sla(values: Mapping[str, Any], errors: list[DomainError]) -> dict[str, int]:
    out = {}
    for level, hours in values.items():
        path = f"slaHours.{level}"
        if level not in Level.__members__:
            errors.append(DomainError("UNKNOWN_FIELD", f"no level {level!r}", path))
        elif isinstance(hours, bool) or not isinstance(hours, int):
            errors.append(DomainError("INVALID_THRESHOLD", "must be a whole number of hours", path))
        elif not 1 <= hours <= MAX_SLA_HOURS:
            errors.append(DomainError("OUT_OF_RANGE", f"1 to {MAX_SLA_HOURS} hours", path))
        else:
            out[level] = hours
    return out


async def update_policy(
    uow: UnitOfWork,
    downturn_industries: list[str] | None,
    responses: Mapping[str, Any] | None,
    sla_hours: Mapping[str, Any] | None,
) -> WarningSettings:
    """Change the industries in downturn, the responses per level or the SLAs per level."""
    current = _settings(await q.load(uow.conn, lock=True))
    errors: list[DomainError] = []
    values: dict[str, Any] = {}
    if downturn_industries is not None:
        values["downturn_industries"] = _industries(downturn_industries, errors)
    if responses is not None:
        if not isinstance(responses, Mapping):
            errors.append(DomainError("INVALID_THRESHOLD", "must be an object", "responses"))
        else:
            try:
                values["responses"] = response_rules.validate(responses)
            except ValidationFailed as failed:
                errors.extend(failed.errors)
    if sla_hours is not None:
        if not isinstance(sla_hours, Mapping):
            errors.append(DomainError("INVALID_THRESHOLD", "must be an object", "slaHours"))
        else:
            values["sla_hours"] = _sla(sla_hours, errors)
    if errors:
        raise ValidationFailed(errors)
    if not values:
        return current
    await q.save(uow.conn, uow.tenant_id, uow.actor.subject, values)
    before = {
        "downturn_industries": list(current.downturn_industries),
        "responses": {k.value: [a.value for a in v] for k, v in current.responses.items()},
        "sla_hours": current.sla_hours,
    }
    await audit.record(
        uow,
        AuditAction.UPDATE_WARNING_SETTINGS,
        "WarningPolicy",
        uow.tenant_id,
        None,
        {key: {"before": before[key], "after": value} for key, value in values.items()},
    )
    return await load_in(uow.conn)
