"""The seller's particulars as documents print them, from the tenant profile: letterhead, bank
accounts, seal, law firm. A tenant that has not filled its profile in prints its name."""

from __future__ import annotations

import re
from datetime import date, datetime

from documents.models import LawFirm, Letterhead, PayInto, Picture
from services.tenant import local_date
from services.tenant.profile import Image, Profile

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _picture(image: Image | None) -> Picture | None:
    return Picture(image.media_type, image.data) if image is not None else None


def letterhead(profile: Profile, tenant_name: str) -> Letterhead:
    """Who writes: the registered name (or the tenant's name), address, telephone, logo."""
    return Letterhead(
        name=profile.legal_name or tenant_name,
        address=profile.address,
        phone=profile.phone,
        email=profile.email,
        contact_person=profile.contact_person,
        logo=_picture(profile.logo),
    )


def seal(profile: Profile) -> Picture | None:
    """The company seal (公章) printed over the signature."""
    return _picture(profile.seal)


def law_firm(profile: Profile) -> LawFirm | None:
    """The firm writing the tenant's lawyer's letters, if it named one."""
    if not profile.law_firm:
        return None
    return LawFirm(
        profile.law_firm, profile.lawyer, profile.law_firm_address, profile.law_firm_phone
    )


def accounts(profile: Profile, currency: str) -> list[PayInto]:
    """The accounts to pay an amount in this currency into (all of them when none matches)."""
    every = [
        PayInto(a.bank, a.account_name, a.account_number, a.currency, a.branch)
        for a in profile.bank_accounts
    ]
    return [a for a in every if a.currency == currency] or every


def local_today(profile: Profile, now: datetime) -> date:
    """The date on the tenant's clock: a letter is dated as its writer's calendar shows."""
    return local_date.local_today(profile.time_zone, now)


def file_name(kind: str, code: str, on: date, lang: str, extension: str) -> str:
    """A download's name with the customer's code and the document's date."""
    safe = _UNSAFE.sub("_", code).strip("_") or "customer"
    return f"{kind.lower().replace('_', '-')}-{safe}-{on.isoformat()}-{lang}.{extension}"
