"""createCustomer, updateCustomer, archiveCustomer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.customers.errors import CUSTOMERS
from schema.customers.types import Customer
from schema.money import MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.customers import master_data as svc
from services.customers.records import CustomerRecord
from services.uow import UnitOfWork


@strawberry.input(description="A person at the customer.")
class ContactInput:
    name: str = strawberry.field(description="Full name.")
    role: str | None = strawberry.field(
        default=None,
        description="Role as people write it (财务经理, CFO, 总经理): finance receives "
        "reminders, statements and letters; management formal demands and lawyer's letters.",
    )
    phone: str | None = strawberry.field(default=None, description="Phone.")
    email: str | None = strawberry.field(default=None, description="E-mail.")
    language: str | None = strawberry.field(
        default=None,
        description="zh-CN or en: what documents are e-mailed to them in (default: Chinese "
        "for a Chinese name or a customer in CN, HK, MO or TW, else English).",
    )


@strawberry.input(description="A new customer.")
class CreateCustomerInput:
    code: str = strawberry.field(description="Customer code, unique in the tenant.")
    legal_name: str = strawberry.field(description="Registered legal name.")
    country: str = strawberry.field(description="ISO 3166 two-letter country code.")
    registration_number: str | None = strawberry.field(
        default=None, description="For CN, the unified social credit code (checked)."
    )
    industry: str | None = strawberry.field(default=None, description="Industry.")
    founded_on: date | None = strawberry.field(default=None, description="Founding date.")
    registered_capital: MoneyInput | None = strawberry.field(
        default=None, description="Registered capital."
    )
    annual_sales: MoneyInput | None = strawberry.field(default=None, description="Annual sales.")
    business_model: str | None = strawberry.field(default=None, description="Business model.")
    company_history: str | None = strawberry.field(default=None, description="History notes.")
    salesperson: str | None = strawberry.field(default=None, description="Salesperson.")
    contacts: list[ContactInput] | None = strawberry.field(default=None, description="Contacts.")


@strawberry.input(description="Changes to a customer; omitted fields stay as they are.")
class UpdateCustomerInput:
    id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    version: int = strawberry.field(description="The version you read; a stale one is refused.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description="New code.")
    legal_name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    country: str | None = strawberry.field(default=strawberry.UNSET, description="New country.")
    registration_number: str | None = strawberry.field(
        default=strawberry.UNSET, description="New registration number."
    )
    industry: str | None = strawberry.field(default=strawberry.UNSET, description="Industry.")
    founded_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="Founding date."
    )
    registered_capital: MoneyInput | None = strawberry.field(
        default=strawberry.UNSET, description="Registered capital (null clears)."
    )
    annual_sales: MoneyInput | None = strawberry.field(
        default=strawberry.UNSET, description="Annual sales (null clears)."
    )
    business_model: str | None = strawberry.field(
        default=strawberry.UNSET, description="Business model."
    )
    company_history: str | None = strawberry.field(
        default=strawberry.UNSET, description="History notes."
    )
    salesperson: str | None = strawberry.field(default=strawberry.UNSET, description="Salesperson.")
    contacts: list[ContactInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the whole contact list."
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
