"""The tenant's profile as the API shows it."""

from __future__ import annotations

import base64
from datetime import datetime

import strawberry

from domain import texts
from schema.input_rules import text
from services.tenant.profile import Image, Profile


@strawberry.type(description="A bank account customers pay into, printed on letters.")
class BankAccount:
    bank: str = strawberry.field(description="The bank, e.g. 中国工商银行.")
    account_name: str = strawberry.field(description="The account holder's name (户名).")
    account_number: str = strawberry.field(description="The account number (账号).")
    currency: str = strawberry.field(description="ISO 4217 code of the account.")
    branch: str | None = strawberry.field(description="The branch (开户行).")


@strawberry.input(description="A bank account customers pay into.")
class BankAccountInput:
    bank: str = text("The bank.", texts.NAME)
    account_name: str = text("The account holder's name.", texts.NAME)
    account_number: str = text("6-40 letters and digits.", texts.ACCOUNT_NUMBER)
    currency: str = text("ISO 4217 code.", texts.CURRENCY)
    branch: str | None = text("The branch.", texts.NAME, default=None)


def _data_url(image: Image | None) -> str | None:
    if image is None:
        return None
    return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode()}"


@strawberry.type(description="The seller's particulars, as its letters and statements print them.")
class TenantProfile:
    legal_name: str | None = strawberry.field(description="Registered name (公司全称).")
    address: str | None = strawberry.field(description="Postal address.")
    phone: str | None = strawberry.field(description="Telephone.")
    email: str | None = strawberry.field(description="E-mail for replies.")
    contact_person: str | None = strawberry.field(description="Who customers contact (联系人).")
    bank_accounts: list[BankAccount] = strawberry.field(description="Where customers pay.")
    logo_data_url: str | None = strawberry.field(description="The letterhead logo (data URL).")
    seal_data_url: str | None = strawberry.field(
        description="The company seal (公章) printed over the signature (data URL)."
    )
    law_firm: str | None = strawberry.field(description="The firm writing lawyer's letters.")
    lawyer: str | None = strawberry.field(description="The lawyer who signs them.")
    law_firm_address: str | None = strawberry.field(description="The firm's address.")
    law_firm_phone: str | None = strawberry.field(description="The firm's telephone.")
    time_zone: str = strawberry.field(description="IANA zone of dates and times on documents.")
    version: int = strawberry.field(description="Pass back to change it (0: never saved).")
    updated_by: str | None = strawberry.field(description="Who changed it last.")
    updated_at: datetime | None = strawberry.field(description="When it was changed last.")

    @classmethod
    def of(cls, profile: Profile) -> TenantProfile:
        """From the stored profile."""
        return cls(
            legal_name=profile.legal_name,
            address=profile.address,
            phone=profile.phone,
            email=profile.email,
            contact_person=profile.contact_person,
            bank_accounts=[
                BankAccount(
                    bank=a.bank,
                    account_name=a.account_name,
                    account_number=a.account_number,
                    currency=a.currency,
                    branch=a.branch,
                )
                for a in profile.bank_accounts
            ],
            logo_data_url=_data_url(profile.logo),
            seal_data_url=_data_url(profile.seal),
            law_firm=profile.law_firm,
            lawyer=profile.lawyer,
            law_firm_address=profile.law_firm_address,
            law_firm_phone=profile.law_firm_phone,
            time_zone=profile.time_zone,
            version=profile.version,
            updated_by=profile.updated_by,
            updated_at=profile.updated_at,
        )
