"""Customer, its credit file (dossier), partners, timeline and audit trail."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from operator import attrgetter
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.customers import loaders
from schema.customers.audit import AuditEntry
from schema.engine.lazy import FromRow
from schema.input_rules import text as text_field
from schema.loading import Deferred
from schema.money import DecimalString, Money
from schema.node import register_node
from schema.permissions import allow, roles_note
from schema.relay import Node, PageInfo, row_cursor, to_global_id
from services.customers import reads
from services.customers import records as rec


@strawberry.enum(description="Whether the seller still trades with the customer.")
class CustomerStatus(Enum):
    ACTIVE = strawberry.enum_value("ACTIVE", description="Trading.")
    ARCHIVED = strawberry.enum_value("ARCHIVED", description="No longer trading; kept on file.")


@strawberry.enum(description="How a partner or related party is linked to the customer.")
class RelationKind(Enum):
    PARENT = strawberry.enum_value("PARENT", description="The customer's parent company.")
    SUBSIDIARY = strawberry.enum_value("SUBSIDIARY", description="A subsidiary of the customer.")
    SHAREHOLDER = strawberry.enum_value("SHAREHOLDER", description="Holds shares in the customer.")
    KEY_SUPPLIER = strawberry.enum_value("KEY_SUPPLIER", description="A key supplier of it.")
    KEY_BUYER = strawberry.enum_value("KEY_BUYER", description="A key buyer from it.")
    GUARANTOR = strawberry.enum_value("GUARANTOR", description="Guarantees its debts.")


@strawberry.enum(description="What a dated dossier entry is.")
class EntryKind(Enum):
    NOTE = strawberry.enum_value("NOTE", description="A free note.")
    FINANCIAL_STATEMENT = strawberry.enum_value(
        "FINANCIAL_STATEMENT", description="Balance sheet, income or cash-flow statement."
    )
    CREDIT_REPORT = strawberry.enum_value(
        "CREDIT_REPORT", description="Bank or bureau credit record."
    )
    LEGAL_RECORD = strawberry.enum_value(
        "LEGAL_RECORD", description="Litigation or enforcement search."
    )
    SITE_VISIT = strawberry.enum_value("SITE_VISIT", description="A visit to the customer.")
    CONTRACT = strawberry.enum_value("CONTRACT", description="A signed agreement.")
    OTHER = strawberry.enum_value("OTHER", description="Anything else worth keeping.")


@strawberry.type(description="A person at the customer.")
class Contact:
    name: str = strawberry.field(description="Full name.")
    role: str | None = strawberry.field(description="Job title or role in the relationship.")
    phone: str | None = strawberry.field(description="Phone number.")
    email: str | None = strawberry.field(description="E-mail address.")
    language: str | None = strawberry.field(
        description="zh-CN or en, when set: what documents are e-mailed to them in."
    )


@strawberry.type(description="A required dossier item that is absent or stale.")
class MissingItem:
    key: str = strawberry.field(
        description="Policy item key, SCREAMING_SNAKE: a customer field (REGISTRATION_NUMBER, "
        "INDUSTRY, REGISTERED_CAPITAL, ANNUAL_SALES, CONTACTS, COMPANY_HISTORY, BUSINESS_MODEL, "
        "PARTNERS) or a dossier entry kind (FINANCIAL_STATEMENT, CREDIT_REPORT, LEGAL_RECORD)."
    )
    reason: str = strawberry.field(description="ABSENT or STALE.")
    as_of: date | None = strawberry.field(description="Date of the stale item, if stale.")


@strawberry.type(description="How complete the dossier is against the tenant's policy, today.")
class Completeness(FromRow):
    ratio: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Share of required items present and fresh, 0..1, 4 decimals (a decimal "
        "string like every other ratio)."
    )
    missing: list[MissingItem] = strawberry.field(description="What is absent or stale.")


@strawberry.type(description="A link from the customer to a related party on file.")
class Partner(Node, FromRow):
    id: strawberry.ID = strawberry.field(
        description="Opaque id of the link (for unlinkPartner and `node`)."
    )
    kind: RelationKind = strawberry.field(description="How the party is related.")
    note: str | None = strawberry.field(description="Free note on the relation.")
    related_id: strawberry.ID = strawberry.field(description="Global id of the related customer.")
    related_code: str = strawberry.field(description="Code of the related customer.")
    related_name: str = strawberry.field(description="Legal name of the related customer.")

    @classmethod
    def from_row(cls, link: rec.PartnerLink) -> Partner:
        """From a partner link (fields derived when read)."""
        return cls.lazy(link)

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        """A plain class check: the customers page completes many partners, and strawberry's
        default check for a Node type (casts, generics) would cost more on each."""
        return type(obj) is cls


Partner.DERIVE = {
    "id": lambda r: to_global_id("Partner", r.id),
    "kind": lambda r: RelationKind(r.kind),
    "note": attrgetter("note"),
    "related_id": lambda r: to_global_id("Customer", r.related_customer_id),
    "related_code": attrgetter("related_code"),
    "related_name": attrgetter("related_name"),
}


@strawberry.type(description="A dated note or document in the dossier (never edited).")
class CreditFileEntry(Node):
    id: strawberry.ID = strawberry.field(description="Opaque id; pass it to `node`.")
    occurred_on: date = strawberry.field(description="Date of the document or event.")
    kind: EntryKind = strawberry.field(description="What it is.")
    title: str = strawberry.field(description="Short title.")
    body: str | None = strawberry.field(description="Text of the note.")
    document_ref: str | None = strawberry.field(description="Where the document is kept.")
    created_by: str = strawberry.field(description="Token subject who filed it.")
    created_at: datetime = strawberry.field(description="When it was filed.")

    @classmethod
    def from_row(cls, entry: rec.CreditFileEntry) -> CreditFileEntry:
        """From a timeline entry of the customer services."""
        return cls(
            id=to_global_id("CreditFileEntry", entry.id),
            occurred_on=entry.occurred_on,
            kind=EntryKind(entry.kind),
            title=entry.title,
            body=entry.body,
            document_ref=entry.document_ref,
            created_by=entry.created_by,
            created_at=entry.created_at,
        )


def completeness_view(grade: Any) -> Completeness:
    """The GraphQL shape of a domain completeness grade (the list built only if asked for)."""
    return Completeness.lazy(grade)


Completeness.DERIVE = {
    "ratio": attrgetter("ratio"),  # a Decimal: the scalar writes it as a string
    "missing": lambda g: [
        MissingItem(key=m.key, reason=m.reason, as_of=m.as_of) for m in g.missing
    ],
}


def partner_views(links: list[rec.PartnerLink]) -> list[Partner]:
    """The GraphQL shape of partner links."""
    return [Partner.from_row(link) for link in links]


@strawberry.type(description="The customer's credit dossier: history, partners, documents.")
class CreditFile:
    customer_id: strawberry.Private[UUID]
    company_history: str | None = strawberry.field(description="Company history notes.")
    last_reviewed_on: date | None = strawberry.field(description="Date of the last review.")

    # Plain attributes: prefetched values on a page, Deferred (awaited on demand) otherwise.
    completeness: Completeness = strawberry.field(
        description="Completeness against the tenant's policy, as of today."
    )
    partners: list[Partner] = strawberry.field(description="Partners and related parties on file.")

    @strawberry.field(description="Newest dated entries first (at most 20).")
    async def timeline(self, info: Info[Context, Any]) -> list[CreditFileEntry]:
        rows = await info.context.loader("timeline", loaders.timeline).load(self.customer_id)
        return [CreditFileEntry.from_row(r) for r in rows]

    @strawberry.field(description="When the next periodic review is due.")
    async def next_review_due_on(self, info: Info[Context, Any]) -> date | None:
        return await reads.next_review_due(info.context.session, self.last_reviewed_on)


AUDIT_NOTE = roles_note(roles.READ_AUDIT)


@strawberry.type(description="A customer (buyer on credit) of the tenant.")
class Customer(Node, FromRow):
    raw_id: strawberry.Private[UUID]
    row: strawberry.Private[rec.CustomerRecord]
    code: str = strawberry.field(description="Customer code, unique in the tenant.")
    legal_name: str = strawberry.field(description="Registered legal name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code.")
    registration_number: str | None = strawberry.field(
        description="Registration number; for CN the 18-character unified social credit code "
        "(统一社会信用代码, GB 32100-2015), its check character verified (see "
        "CreateCustomerInput.registrationNumber for how it is computed)."
    )
    industry: str | None = strawberry.field(description="Industry.")
    status: CustomerStatus = strawberry.field(description="Trading status.")
    founded_on: date | None = strawberry.field(description="Date the company was founded.")
    registered_capital: Money | None = strawberry.field(description="Registered capital.")
    annual_sales: Money | None = strawberry.field(description="Annual sales.")
    business_model: str | None = strawberry.field(description="Business model notes.")
    salesperson: str | None = strawberry.field(description="Salesperson responsible.")
    rating_class: str | None = strawberry.field(
        description="Credit class A, B, C or D (D: cash before delivery); null: unrated (B terms)."
    )
    payment_terms_code: str | None = strawberry.field(
        description="Agreed payment-terms template; null: the rating class's terms."
    )
    late_interest_daily_rate: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Agreed daily late-interest rate; null: the tenant's."
    )
    contacts: list[Contact] = strawberry.field(description="People at the customer.")
    version: int = strawberry.field(
        description="Optimistic-concurrency version; send it back with updateCustomer."
    )
    created_at: datetime = strawberry.field(description="When the customer was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    credit_file: CreditFile = strawberry.field(description="The credit dossier.")

    @strawberry.field(
        description="Audited changes, newest first (at most 50)." + AUDIT_NOTE,
        extensions=allow(roles.READ_AUDIT),
    )
    async def audit_trail(self, info: Info[Context, Any]) -> list[AuditEntry]:
        rows = await info.context.loader("audit", loaders.audit_trail).load(self.raw_id)
        return [AuditEntry.of(r) for r in rows]

    @classmethod
    def from_row(cls, record: rec.CustomerRecord) -> Customer:
        """From a customer record; each field is derived when a query first reads it."""
        return cls.lazy(record)


def _contacts(r: rec.CustomerRecord) -> list[Contact]:
    return [
        Contact(
            name=c.get("name") or "",
            role=c.get("role"),
            phone=c.get("phone"),
            email=c.get("email"),
            language=c.get("language"),
        )
        for c in r.contacts or []
    ]


def _credit_file(r: rec.CustomerRecord) -> CreditFile:
    # Prefetched on a page (the placeholders are replaced); awaited one at a time otherwise.
    return CreditFile(
        customer_id=r.id,
        company_history=r.company_history,
        last_reviewed_on=r.last_reviewed_on,
        completeness=Deferred(  # type: ignore[arg-type]
            "completeness", loaders.completeness, r.id, completeness_view
        ),
        partners=Deferred(  # type: ignore[arg-type]
            "partners", loaders.partners, r.id, partner_views
        ),
    )


def _daily_rate(r: rec.CustomerRecord) -> str | None:
    rate = r.late_interest_daily_rate
    return None if rate is None else str(rate.normalize())


Customer.DERIVE = {
    "id": lambda r: to_global_id("Customer", r.id),
    "raw_id": attrgetter("id"),
    "code": attrgetter("code"),
    "legal_name": attrgetter("legal_name"),
    "country": attrgetter("country"),
    "registration_number": attrgetter("registration_number"),
    "industry": attrgetter("industry"),
    "status": lambda r: CustomerStatus(r.status),
    "founded_on": attrgetter("founded_on"),
    "registered_capital": lambda r: Money.from_minor(
        r.registered_capital_minor, r.registered_capital_currency
    ),
    "annual_sales": lambda r: Money.from_minor(r.annual_sales_minor, r.annual_sales_currency),
    "business_model": attrgetter("business_model"),
    "salesperson": attrgetter("salesperson"),
    "rating_class": attrgetter("rating_class"),
    "payment_terms_code": attrgetter("payment_terms_code"),
    "late_interest_daily_rate": _daily_rate,
    "contacts": _contacts,
    "version": attrgetter("version"),
    "credit_file": _credit_file,
    "created_at": attrgetter("created_at"),
    "updated_at": attrgetter("updated_at"),
}
register_node(
    "Customer", "customers", loaders.customers, Customer.from_row, readers=roles.READ_CUSTOMERS
)
register_node(
    "Partner",
    "partners_by_id",
    loaders.partners_by_id,
    Partner.from_row,
    readers=roles.READ_CUSTOMERS,
)
register_node(
    "CreditFileEntry",
    "entries_by_id",
    loaders.entries_by_id,
    CreditFileEntry.from_row,
    readers=roles.READ_CUSTOMERS,
)


@strawberry.type(description="One customer in a page.")
class CustomerEdge(FromRow):
    cursor: str = strawberry.field(
        description="Pass as `after` to continue after this item, or `before` to go back."
    )
    node: Customer = strawberry.field(description="The customer.")

    @classmethod
    def of(cls, record: rec.CustomerRecord) -> CustomerEdge:
        """The edge of a page's customer; its cursor is encoded only if the query reads it."""
        return cls.lazy(record)


CustomerEdge.DERIVE = {
    "cursor": lambda record: row_cursor(record.id),
    "node": Customer.from_row,
}


@strawberry.type(description="A page of customers.")
class CustomerConnection:
    edges: list[CustomerEdge] = strawberry.field(description="The items with their cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")
    total_count: int = strawberry.field(description="Items matching the filter, all pages.")

    @strawberry.field(description="The customers of this page, without cursors.")
    def nodes(self) -> list[Customer]:
        return [e.node for e in self.edges]


@strawberry.enum(description="Sort key for customers.")
class CustomerOrderField(Enum):
    NAME = strawberry.enum_value("NAME", description="Legal name.")
    CODE = strawberry.enum_value("CODE", description="Customer code.")
    CREATED = strawberry.enum_value("CREATED", description="Creation time.")


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Ascending.")
    DESC = strawberry.enum_value("DESC", description="Descending.")


@strawberry.input(description="Narrow the customer list.")
class CustomerFilter:
    text: str | None = text_field(
        "Substring of name, code or registration number (case-insensitive).",
        texts.SEARCH,
        default=None,
    )
    industry: str | None = text_field("Exact industry.", texts.SHORT, default=None)
    status: CustomerStatus | None = strawberry.field(default=None, description="Trading status.")


@strawberry.input(description="Order of the customer list.")
class CustomerOrder:
    field: CustomerOrderField = strawberry.field(
        default=CustomerOrderField.NAME, description="Sort key."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Sort direction."
    )


CustomerRef = Annotated[Customer, strawberry.lazy("schema.customers.types")]
