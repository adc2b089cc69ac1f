"""Dossier mutations: timeline entries, partner links, the review job (recordCreditReview
moved to schema/credit/applications with its checklist and outcome)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.customers.errors import CUSTOMERS
from schema.customers.types import CreditFileEntry, EntryKind, RelationKind
from schema.input_rules import text
from schema.jobs.types import Job, load_job
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.relay import to_global_id
from services.customers import credit_files as svc
from services.customers import records
from services.jobs.catalogue import REVIEW_CREDIT_FILES, AsOf
from services.jobs.requests import request_job
from services.uow import UnitOfWork


@strawberry.input(description="A dated note or document for the dossier.")
class AddCreditFileEntryInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    occurred_on: date = strawberry.field(description="Date of the document or event.")
    kind: EntryKind = strawberry.field(description="What it is.")
    title: str = text("Short title.", texts.NAME)
    body: str | None = text("Text.", texts.TEXT, default=None)
    document_ref: str | None = text("Where the document is kept.", texts.REFERENCE, default=None)


@strawberry.type(description="Result of addCreditFileEntry.")
class AddCreditFileEntryPayload(CUSTOMERS.payload):
    entry: CreditFileEntry | None = strawberry.field(default=None, description="The entry filed.")


@strawberry.input(description="Link a related party already on file as a customer.")
class LinkPartnerInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    related_id: strawberry.ID = strawberry.field(description="Global id of the related party.")
    kind: RelationKind = strawberry.field(description="How it is related.")
    note: str | None = text("Note.", texts.NOTE, default=None)


@strawberry.type(description="Result of linkPartner.")
class LinkPartnerPayload(CUSTOMERS.payload):
    partner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Id of the new link."
    )


@strawberry.input(description="Remove a partner link.")
class UnlinkPartnerInput:
    id: strawberry.ID = strawberry.field(description="Id of the link (Partner.id).")


@strawberry.type(description="Result of unlinkPartner.")
class UnlinkPartnerPayload(CUSTOMERS.payload):
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="The customer it was on."
    )


@strawberry.input(description="Start a credit-file review of every customer.")
class RunCreditFileReviewInput:
    as_of: date | None = strawberry.field(default=None, description="Review date (today).")


@strawberry.type(description="Result of runCreditFileReview: the queued job.")
class RunCreditFileReviewPayload(CUSTOMERS.payload):
    job: Job | None = strawberry.field(
        default=None, description="The job; poll `job(id)` or subscribe."
    )


async def add_credit_file_entry(
    info: Info[Context, Any], input: Annotated[AddCreditFileEntryInput, INPUT]
) -> AddCreditFileEntryPayload:
    async def work(uow: UnitOfWork) -> records.CreditFileEntry:
        return await svc.add_entry(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            input.occurred_on,
            input.kind.value,
            input.title,
            input.body,
            input.document_ref,
            info.context.today,
        )

    async def show(entry: records.CreditFileEntry) -> dict[str, Any]:
        return {"entry": CreditFileEntry.from_row(entry)}

    return await respond(info, AddCreditFileEntryPayload, work, show)


async def link_partner(
    info: Info[Context, Any], input: Annotated[LinkPartnerInput, INPUT]
) -> LinkPartnerPayload:
    async def work(uow: UnitOfWork) -> records.Relation:
        return await svc.link_partner(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            decode(input.related_id, "Customer", "relatedId"),
            input.kind.value,
            input.note,
        )

    async def show(link: records.Relation) -> dict[str, Any]:
        return {"partner_id": to_global_id("Partner", link.id)}

    return await respond(info, LinkPartnerPayload, work, show)


async def unlink_partner(
    info: Info[Context, Any], input: Annotated[UnlinkPartnerInput, INPUT]
) -> UnlinkPartnerPayload:
    async def work(uow: UnitOfWork) -> records.Relation:
        return await svc.unlink_partner(uow, decode(input.id, "Partner"))

    async def show(link: records.Relation) -> dict[str, Any]:
        return {"customer_id": to_global_id("Customer", link.customer_id)}

    return await respond(info, UnlinkPartnerPayload, work, show)


async def run_credit_file_review(
    info: Info[Context, Any], input: Annotated[RunCreditFileReviewInput | None, INPUT] = None
) -> RunCreditFileReviewPayload:
    as_of = (input.as_of if input and input.as_of else None) or info.context.today

    async def show(job_id: UUID) -> dict[str, Any]:
        return {"job": await load_job(info.context, job_id)}

    return await respond(
        info,
        RunCreditFileReviewPayload,
        lambda uow: request_job(uow, REVIEW_CREDIT_FILES, AsOf(as_of)),
        show,
    )


FIELDS = {
    "add_credit_file_entry": strawberry.mutation(
        resolver=add_credit_file_entry,
        extensions=allow(roles.WRITE_CREDIT_FILE),
        description="File a dated note or document in the dossier."
        + roles_note(roles.WRITE_CREDIT_FILE),
    ),
    "link_partner": strawberry.mutation(
        resolver=link_partner,
        extensions=allow(roles.WRITE_CREDIT_FILE),
        description="Link a partner or related party; a link of a group kind joining two "
        "groups that each have a group limit is refused (GROUP_LIMIT_EXISTS)."
        + roles_note(roles.WRITE_CREDIT_FILE),
    ),
    "unlink_partner": strawberry.mutation(
        resolver=unlink_partner,
        extensions=allow(roles.WRITE_CREDIT_FILE),
        description="Remove a partner link." + roles_note(roles.WRITE_CREDIT_FILE),
    ),
    "run_credit_file_review": strawberry.mutation(
        resolver=run_credit_file_review,
        extensions=allow(roles.RUN_REVIEWS),
        description="Queue the credit-file review job now (it also runs daily)."
        + roles_note(roles.RUN_REVIEWS),
    ),
}
