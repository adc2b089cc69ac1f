"""updateTenantProfile: the particulars, bank accounts, logo and seal, law firm, time zone."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.errors import DomainError
from domain.tenant_profile import BankAccount as BankAccountValue
from schema.context import Context
from schema.input_rules import text
from schema.mutation import INPUT, respond
from schema.permissions import allow, roles_note
from schema.tenant.errors import TENANT
from schema.tenant.types import BankAccountInput, TenantProfile
from services.tenant import profile
from services.uow import UnitOfWork

WRITE = roles.CONFIGURE_TENANT
UNSET_NOTE = "Omitted: unchanged; null: removed."


@strawberry.input(description="Changes to the profile. " + UNSET_NOTE)
class UpdateTenantProfileInput:
    version: int = strawberry.field(description="The version you read (0 for the first save).")
    legal_name: str | None = text("Name.", texts.NAME, default=strawberry.UNSET)
    address: str | None = text("Address.", texts.ADDRESS, default=strawberry.UNSET)
    phone: str | None = text("Telephone.", texts.PHONE, default=strawberry.UNSET)
    email: str | None = text("E-mail.", texts.NAME, default=strawberry.UNSET)
    contact_person: str | None = text("Contact.", texts.NAME, default=strawberry.UNSET)
    bank_accounts: list[BankAccountInput] | None = strawberry.field(
        default=strawberry.UNSET, description="All accounts (replaces the list; at most 5)."
    )
    logo_base64: str | None = text(
        "PNG or JPEG, base64, at most 512 KB.", texts.IMAGE, default=strawberry.UNSET
    )
    seal_base64: str | None = text(
        "The seal scan: PNG (transparent) or JPEG, base64, at most 512 KB.",
        texts.IMAGE,
        default=strawberry.UNSET,
    )
    law_firm: str | None = text("Law firm.", texts.NAME, default=strawberry.UNSET)
    lawyer: str | None = text("Lawyer.", texts.NAME, default=strawberry.UNSET)
    law_firm_address: str | None = text(
        "The firm's address.", texts.ADDRESS, default=strawberry.UNSET
    )
    law_firm_phone: str | None = text(
        "The firm's telephone.", texts.PHONE, default=strawberry.UNSET
    )
    time_zone: str | None = text(
        "IANA zone; null: Asia/Shanghai.", texts.TIME_ZONE, default=strawberry.UNSET
    )


@strawberry.type(description="Result of updateTenantProfile.")
class TenantProfilePayload(TENANT.payload):
    profile: TenantProfile | None = strawberry.field(default=None, description="The profile.")


def _image(value: str | None, field: str) -> bytes | None:
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError("INVALID_IMAGE", "not base64", field) from None


def changes_of(data: UpdateTenantProfileInput) -> dict[str, Any]:
    """The fields the input sets (UNSET ones are left alone)."""
    out: dict[str, Any] = {}
    for name in (
        "legal_name",
        "address",
        "phone",
        "email",
        "contact_person",
        "law_firm",
        "lawyer",
        "law_firm_address",
        "law_firm_phone",
        "time_zone",
    ):
        value = getattr(data, name)
        if value is not strawberry.UNSET:
            out[name] = value
    if data.bank_accounts is not strawberry.UNSET:
        out["bank_accounts"] = [
            BankAccountValue(a.bank, a.account_name, a.account_number, a.currency, a.branch)
            for a in data.bank_accounts or []
        ]
    if data.logo_base64 is not strawberry.UNSET:
        out["logo"] = _image(data.logo_base64, "logoBase64")
    if data.seal_base64 is not strawberry.UNSET:
        out["seal"] = _image(data.seal_base64, "sealBase64")
    return out


async def update_tenant_profile(
    info: Info[Context, Any], input: Annotated[UpdateTenantProfileInput, INPUT]
) -> TenantProfilePayload:
    async def work(uow: UnitOfWork) -> profile.Profile:
        return await profile.save(uow, input.version, changes_of(input))

    async def show(saved: profile.Profile) -> dict[str, Any]:
        return {"profile": TenantProfile.of(saved)}

    return await respond(info, TenantProfilePayload, work, show)


FIELDS = {
    "update_tenant_profile": strawberry.mutation(
        resolver=update_tenant_profile,
        extensions=allow(WRITE),
        description="Change your company's particulars as letters and statements print them "
        "(version-checked)." + roles_note(WRITE),
    ),
}
