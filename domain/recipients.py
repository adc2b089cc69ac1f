"""Who at the customer receives which document, and in which language.

Contacts carry a free-text role as people write it ("财务经理", "CFO", "采购总监"); the duty a
role names decides what the contact receives: finance receives reminders, statements and
letters; management (the legal representative, the general manager) receives formal demands
and lawyer's letters too. A customer whose contacts name no matching role still receives its
documents, at every address it gave: a letter nobody receives collects nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

LANGUAGES = ("zh-CN", "en")


class Duty(StrEnum):
    """What a contact does for the customer, as far as collections care."""

    FINANCE = "FINANCE"
    MANAGEMENT = "MANAGEMENT"
    PURCHASING = "PURCHASING"


class Purpose(StrEnum):
    """A document that leaves the platform for the customer."""

    PRE_DUE_REMINDER = "PRE_DUE_REMINDER"
    STATEMENT = "STATEMENT"
    REMINDER = "REMINDER"
    DEMAND = "DEMAND"
    LAWYER = "LAWYER"


#: Words of a role, in Chinese or English, that name a duty (matched case-insensitively).
ROLE_WORDS: dict[Duty, tuple[str, ...]] = {
    Duty.FINANCE: (
        "财务",
        "会计",
        "出纳",
        "应付",
        "结算",
        "finance",
        "financial",
        "account",
        "cfo",
        "treasur",
        "controller",
        "payable",
        "billing",
    ),
    Duty.MANAGEMENT: (
        "法定代表人",
        "法人",
        "总经理",
        "董事长",
        "负责人",
        "老板",
        "ceo",
        "general manager",
        "managing director",
        "owner",
        "president",
        "legal representative",
    ),
    Duty.PURCHASING: ("采购", "purchas", "procurement", "buyer"),
}
#: Who receives each document: finance first; the demand and the lawyer's letter also go to
#: management, since they announce steps the company's head must know of.
ADDRESSEES: dict[Purpose, tuple[Duty, ...]] = {
    Purpose.PRE_DUE_REMINDER: (Duty.FINANCE,),
    Purpose.STATEMENT: (Duty.FINANCE,),
    Purpose.REMINDER: (Duty.FINANCE,),
    Purpose.DEMAND: (Duty.FINANCE, Duty.MANAGEMENT),
    Purpose.LAWYER: (Duty.MANAGEMENT, Duty.FINANCE),
}
#: Countries and regions whose business correspondence is in Chinese.
CHINESE_SPEAKING = frozenset({"CN", "HK", "MO", "TW"})
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Contact:
    """A person at the customer, as the customer's record keeps them."""

    name: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Recipient:
    """Where one copy of a document goes: the address a channel uses, in whose language."""

    name: str
    address: str
    language: str


def contacts_of(stored: Iterable[Mapping[str, str | None]] | None) -> list[Contact]:
    """The contacts as the customer's record stores them (name, role, phone, email, language)."""
    return [
        Contact(
            name=c.get("name") or "",
            role=c.get("role"),
            email=c.get("email"),
            phone=c.get("phone"),
            language=c.get("language"),
        )
        for c in stored or []
    ]


def duties_of(role: str | None) -> frozenset[Duty]:
    """The duties a role names ("财务经理" is finance; "CFO" is finance)."""
    text = (role or "").casefold()
    return frozenset(d for d, words in ROLE_WORDS.items() if any(w in text for w in words))


def language_of(contact: Contact, country: str) -> str:
    """The contact's own language if given; else Chinese for a Chinese name or role, or for a
    customer in a Chinese-speaking country; else English."""
    if contact.language in LANGUAGES:
        return contact.language
    if _HAN.search(contact.name) or _HAN.search(contact.role or ""):
        return "zh-CN"
    return "zh-CN" if country.upper() in CHINESE_SPEAKING else "en"


def recipients(
    contacts: Iterable[Contact],
    purpose: Purpose,
    country: str,
    address_of: Callable[[Contact], str | None],
) -> list[Recipient]:
    """The contacts a document goes to (each address once), in the order of the duties the
    document is for; every contact with an address when no role matches."""
    reachable = [(c, address) for c in contacts if (address := (address_of(c) or "").strip())]
    wanted = ADDRESSEES[purpose]
    chosen = [
        pair for duty in wanted for pair in reachable if duty in duties_of(pair[0].role)
    ] or reachable
    seen: set[str] = set()
    out: list[Recipient] = []
    for contact, address in chosen:
        if address.casefold() in seen:
            continue
        seen.add(address.casefold())
        out.append(Recipient(contact.name, address, language_of(contact, country)))
    return out
