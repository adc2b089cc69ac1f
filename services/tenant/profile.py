"""The tenant's profile: read by every document, changed by its administrators (version-checked)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.tenant_tables import tenant_profiles
from domain.currencies import is_currency
from domain.errors import DomainError, ValidationFailed
from domain.tenant_profile import (
    ADDRESS_MAX,
    BANK_ACCOUNTS_MAX,
    BankAccount,
    check_account,
    check_phone,
    check_text,
    image_type,
)
from services.read_session import ReadSession
from services.tenant.local_date import DEFAULT_TIME_ZONE as DEFAULT_TIME_ZONE
from services.tenant.local_date import ZONES
from services.uow import UnitOfWork


@dataclass(frozen=True)
class Image:
    """A logo or seal as stored."""

    media_type: str
    data: bytes


@dataclass(frozen=True)
class Profile:
    """What a letter's letterhead, payment block and signature need."""

    legal_name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_person: str | None = None
    bank_accounts: list[BankAccount] = field(default_factory=list)
    logo: Image | None = None
    seal: Image | None = None
    law_firm: str | None = None
    lawyer: str | None = None
    law_firm_address: str | None = None
    law_firm_phone: str | None = None
    time_zone: str = DEFAULT_TIME_ZONE
    version: int = 0
    updated_by: str | None = None
    updated_at: datetime | None = None


#: Fields a change may carry, and how each is checked.
TEXTS = {
    "legal_name": 200,
    "contact_person": 200,
    "law_firm": 200,
    "lawyer": 200,
    "email": 200,
    "address": ADDRESS_MAX,
    "law_firm_address": ADDRESS_MAX,
}
PHONES = ("phone", "law_firm_phone")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def checked(changes: dict[str, Any]) -> dict[str, Any]:
    """Column values for a change, or every problem at once."""
    errors: list[DomainError] = []
    values: dict[str, Any] = {}
    for key, value in changes.items():
        try:
            if key in TEXTS:
                values[key] = check_text(value, _camel(key), TEXTS[key])
            elif key in PHONES:
                values[key] = check_phone(value, _camel(key))
            elif key == "bank_accounts":
                values[key] = _accounts(value or [])
            elif key in ("logo", "seal"):
                values[key] = value
                field = f"{key}Base64"  # the input field as the client wrote it
                values[f"{key}_type"] = image_type(value, field) if value is not None else None
            elif key == "time_zone":
                values[key] = _zone(value)
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise ValidationFailed(errors)
    return values


def _accounts(accounts: list[BankAccount]) -> list[dict[str, Any]]:
    if len(accounts) > BANK_ACCOUNTS_MAX:
        raise DomainError("TOO_MANY", f"at most {BANK_ACCOUNTS_MAX} accounts", "bankAccounts")
    out = []
    for n, account in enumerate(accounts):
        clean = check_account(account, f"bankAccounts.{n}")
        if not is_currency(clean.currency):
            raise DomainError("UNKNOWN_CURRENCY", "an ISO 4217 code", f"bankAccounts.{n}.currency")
        out.append(asdict(clean))
    return out


def _zone(value: str | None) -> str:
    name = (value or DEFAULT_TIME_ZONE).strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(
            "INVALID_TIME_ZONE", "an IANA time zone such as Asia/Shanghai", "timeZone"
        ) from None
    return name


async def save(uow: UnitOfWork, version: int, changes: dict[str, Any]) -> Profile:
    """Apply a change to the profile (created on first save); STALE_VERSION if it moved on."""
    values = checked(changes)
    if not values:
        raise DomainError("REQUIRED", "nothing to change", None)
    stamp = {"updated_by": uow.actor.subject, "updated_at": sa.func.now()}
    if version == 0:
        row = await uow.conn.scalar(
            insert(tenant_profiles)
            .values(tenant_id=uow.tenant_id, **values, **stamp)
            .on_conflict_do_nothing()
            .returning(tenant_profiles.c.tenant_id)
        )
    else:
        row = await uow.conn.scalar(
            tenant_profiles.update()
            .where(tenant_profiles.c.version == version)
            .values(**values, **stamp, version=tenant_profiles.c.version + 1)
            .returning(tenant_profiles.c.tenant_id)
        )
    if row is None:
        raise DomainError("STALE_VERSION", "the profile changed since you read it", "version")
    if "time_zone" in values:
        ZONES.changing(uow.tenant_id, values["time_zone"])  # requests here date by it at once
    return _profile((await uow.conn.execute(sa.select(tenant_profiles))).one()._mapping)


async def load(session: ReadSession) -> Profile:
    """The profile, or an empty one (the defaults) when the tenant has not filled it in."""
    rows = await session.run(lambda c: c.execute(sa.select(tenant_profiles)))
    row = rows.first()
    return _profile(row._mapping) if row is not None else Profile()


async def load_in(uow: UnitOfWork) -> Profile:
    """The profile inside a unit of work (a document being rendered and stored)."""
    row = (await uow.conn.execute(sa.select(tenant_profiles))).first()
    return _profile(row._mapping) if row is not None else Profile()


def _profile(row: Any) -> Profile:
    return Profile(
        legal_name=row["legal_name"],
        address=row["address"],
        phone=row["phone"],
        email=row["email"],
        contact_person=row["contact_person"],
        bank_accounts=[BankAccount(**a) for a in row["bank_accounts"]],
        logo=Image(row["logo_type"], bytes(row["logo"])) if row["logo"] is not None else None,
        seal=Image(row["seal_type"], bytes(row["seal"])) if row["seal"] is not None else None,
        law_firm=row["law_firm"],
        lawyer=row["lawyer"],
        law_firm_address=row["law_firm_address"],
        law_firm_phone=row["law_firm_phone"],
        time_zone=row["time_zone"],
        version=row["version"],
        updated_by=row["updated_by"],
        updated_at=row["updated_at"],
    )
