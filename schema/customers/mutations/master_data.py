"""createCustomer, updateCustomer, archiveCustomer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.customers.errors import CUSTOMERS
from schema.customers.types import Customer
from schema.input_rules import text
from schema.money import MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.customers import master_data as svc
from services.customers.master_data import MAX_CONTACTS
from services.customers.records import CustomerRecord
from services.uow import UnitOfWork


@strawberry.input(description="A person at the customer.")
class ContactInput:
    name: str = text("Full name.", texts.NAME)
    role: str | None = text(
        "Role as people write it (财务经理, CFO, 总经理): finance receives "
        "reminders, statements and letters; management formal demands and lawyer's letters.",
        texts.SHORT,
        default=None,
    )
    phone: str | None = text("Phone.", texts.PHONE, default=None)
    email: str | None = text("E-mail.", texts.EMAIL, default=None)
    language: str | None = text(
        "zh-CN or en: what documents are e-mailed to them in (default: Chinese "
        "for a Chinese name or a customer in CN, HK, MO or TW, else English).",
        texts.SHORT,
        default=None,
    )


#: How a Chinese registration number is checked, where a client reads it.
USCC_NOTE = (
    "Company registration number, upper-cased. For country CN it is the 18-character unified "
    "social credit code (统一社会信用代码, GB 32100-2015), checked: characters from 0-9 A-H "
    "J-N P-R T-U W-Y (no I, O, S, V, Z), each worth its position in that 31-character "
    "alphabet (0-9 are 0-9, A is 10 ... Y is 30); the 18th is the check character: with "
    "weights 3^i mod 31 for the first 17 (i = 0..16: 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, "
    "13, 8, 24, 10, 30, 28), check = 31 - (sum of value x weight) mod 31, and 31 is written 0. "
    "A wrong check character is INVALID_REGISTRATION_NUMBER. Other countries: any text."
)
#: The country code a customer takes.
COUNTRY_NOTE = (
    "ISO 3166-1 alpha-2 country code, any case (cn is stored as CN); only codes ISO assigns "
    "to a country: user-assigned ones such as ZZ, XA-XZ, QM-QZ and reserved ones such as EU "
    "are refused with INVALID_COUNTRY."
)


@strawberry.input(description="A new customer.")
class CreateCustomerInput:
    code: str = text("Customer code, unique in the tenant.", texts.CODE)
    legal_name: str = text("Registered legal name.", texts.LEGAL_NAME)
    country: str = text(COUNTRY_NOTE, texts.COUNTRY)
    registration_number: str | None = text(USCC_NOTE, texts.CODE, default=None)
    industry: str | None = text("Industry.", texts.SHORT, default=None)
    founded_on: date | None = strawberry.field(default=None, description="Founding date.")
    registered_capital: MoneyInput | None = strawberry.field(
        default=None, description="Registered capital."
    )
    annual_sales: MoneyInput | None = strawberry.field(default=None, description="Annual sales.")
    business_model: str | None = text("Business model.", texts.SUMMARY, default=None)
    company_history: str | None = text("History notes.", texts.TEXT, default=None)
    salesperson: str | None = text("Salesperson.", texts.NAME, default=None)
    contacts: list[ContactInput] | None = strawberry.field(
        default=None, description=f"Contacts, at most {MAX_CONTACTS}."
    )


@strawberry.input(description="Changes to a customer; omitted fields stay as they are.")
class UpdateCustomerInput:
    id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    version: int = strawberry.field(description="The version you read; a stale one is refused.")
    code: str | None = text("New code.", texts.CODE, default=strawberry.UNSET)
    legal_name: str | None = text("New name.", texts.LEGAL_NAME, default=strawberry.UNSET)
    country: str | None = text(
        "New country. " + COUNTRY_NOTE, texts.COUNTRY, default=strawberry.UNSET
    )
    registration_number: str | None = text(
        "New registration number. " + USCC_NOTE, texts.CODE, default=strawberry.UNSET
    )
    industry: str | None = text("Industry.", texts.SHORT, default=strawberry.UNSET)
    founded_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="Founding date."
    )
    registered_capital: MoneyInput | None = strawberry.field(
        default=strawberry.UNSET, description="Registered capital (null clears)."
    )
    annual_sales: MoneyInput | None = strawberry.field(
        default=strawberry.UNSET, description="Annual sales (null clears)."
    )
    business_model: str | None = text("Business model.", texts.SUMMARY, default=strawberry.UNSET)
    company_history: str | None = text("History notes.", texts.TEXT, default=strawberry.UNSET)
    salesperson: str | None = text("Salesperson.", texts.NAME, default=strawberry.UNSET)
    contacts: list[ContactInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Replaces the whole contact list (at most {MAX_CONTACTS}).",
    )


@strawberry.input(description="Archive a customer.")
class ArchiveCustomerInput:
    id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    version: int | None = strawberry.field(
        default=None, description="If given, refused when stale."
    )


@strawberry.type(description="Result of a customer mutation.")
class CustomerPayload(CUSTOMERS.payload):
    customer: Customer | None = strawberry.field(
        default=None, description="The customer, when it succeeded."
    )


async def show_customer(record: CustomerRecord) -> dict[str, Any]:
    """The payload's customer: the record the service stored (no re-read needed)."""
    return {"customer": Customer.from_row(record)}


def _money(value: Any) -> Any:
    if value is strawberry.UNSET or value is None:
        return value
    return svc.MoneyIn(value.amount, value.currency)


def _changes(data: Any) -> svc.CustomerChanges:
    changes = svc.CustomerChanges()
    for name in (
        "code",
        "legal_name",
        "country",
        "registration_number",
        "industry",
        "founded_on",
        "business_model",
        "company_history",
        "salesperson",
    ):
        value = getattr(data, name)
        if value is not strawberry.UNSET:
            setattr(changes, name, value)
    for name in ("registered_capital", "annual_sales"):
        value = getattr(data, name)
        if value is not strawberry.UNSET:
            setattr(changes, name, _money(value))
    if data.contacts is not strawberry.UNSET:
        changes.contacts = [
            svc.ContactIn(c.name, c.role, c.phone, c.email, c.language) for c in data.contacts or []
        ]
    return changes


async def create_customer(
    info: Info[Context, Any], input: Annotated[CreateCustomerInput, INPUT]
) -> CustomerPayload:
    changes = _changes(input)
    if input.contacts is None:
        changes.contacts = []
    return await respond(
        info, CustomerPayload, lambda uow: svc.create_customer(uow, changes), show_customer
    )


async def update_customer(
    info: Info[Context, Any], input: Annotated[UpdateCustomerInput, INPUT]
) -> CustomerPayload:
    async def work(uow: UnitOfWork) -> CustomerRecord:
        return await svc.update_customer(
            uow, decode(input.id, "Customer"), input.version, _changes(input)
        )

    return await respond(info, CustomerPayload, work, show_customer)


async def archive_customer(
    info: Info[Context, Any], input: Annotated[ArchiveCustomerInput, INPUT]
) -> CustomerPayload:
    async def work(uow: UnitOfWork) -> CustomerRecord:
        return await svc.archive_customer(uow, decode(input.id, "Customer"), input.version)

    return await respond(info, CustomerPayload, work, show_customer)


FIELDS = {
    "create_customer": strawberry.mutation(
        resolver=create_customer,
        extensions=allow(roles.WRITE_CUSTOMERS),
        description="Create a customer." + roles_note(roles.WRITE_CUSTOMERS),
    ),
    "update_customer": strawberry.mutation(
        resolver=update_customer,
        extensions=allow(roles.WRITE_CUSTOMERS),
        description="Change a customer's master data (optimistic concurrency)."
        + roles_note(roles.WRITE_CUSTOMERS),
    ),
    "archive_customer": strawberry.mutation(
        resolver=archive_customer,
        extensions=allow(roles.ARCHIVE_CUSTOMERS),
        description="Stop trading with a customer; history stays."
        + roles_note(roles.ARCHIVE_CUSTOMERS),
    ),
}
