"""Read entry points of applications, agreements, reviews and the credit-file policy.

A customer has a handful of each a year, so a page is cut from the customer's whole list
(one statement) by position; the cursor is the position and the row's id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.credit.applications.enums import ApplicationStatusEnum
from schema.credit.applications.review_mutations import CreditFilePolicy
from schema.credit.applications.types import (
    CreditAgreement,
    CreditAgreementConnection,
    CreditAgreementEdge,
    CreditApplication,
    CreditApplicationConnection,
    CreditApplicationEdge,
    CreditReview,
    CreditReviewConnection,
    CreditReviewEdge,
)
from schema.credit.limits.queries import _id, _size
from schema.input_rules import text_arg
from schema.permissions import allow, roles_note
from schema.relay import connection, decode_cursor, edges_of, encode_cursor
from services.credit import agreements, application_reads, file_policy, reviews

READ = roles.READ_CREDIT_APPLICATIONS
FIRST = strawberry.argument(description="Page size, 1-100.")
AFTER = text_arg("Cursor from a previous page.", texts.CURSOR)
CUSTOMER = strawberry.argument(description="Global id of the customer.")
R = TypeVar("R")


def _page(
    edge: Callable[..., Any],
    conn: Callable[..., Any],
    items: Sequence[R],
    build: Callable[[R], Any],
    after: str | None,
    size: int,
) -> Any:
    start = 0
    if after:
        position = decode_cursor(after)[0]
        if not isinstance(position, int) or position < 0:
            raise GraphQLError("Malformed cursor", extensions={"code": "BAD_USER_INPUT"})
        start = position + 1
    window = list(enumerate(items))[start : start + size]
    edges = edges_of(edge, window, lambda p: build(p[1]), lambda p: encode_cursor(p[0], p[1].id))
    return connection(conn, edges, start + size < len(items))


@strawberry.type
class CreditApplicationQuery:
    @strawberry.field(
        description="A customer's credit applications, newest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_applications(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        status: Annotated[
            ApplicationStatusEnum | None, strawberry.argument(description="Only this status.")
        ] = None,
        first: Annotated[int | None, FIRST] = 20,
        after: Annotated[str | None, AFTER] = None,
    ) -> CreditApplicationConnection:
        size = _size(info, first)
        customer = _id(customer_id, "Customer")
        items = await application_reads.for_customer(
            info.context.session, customer, status.value if status else None
        )
        return _page(
            CreditApplicationEdge, CreditApplicationConnection, items,
            CreditApplication.build, after, size,
        )  # fmt: skip

    @strawberry.field(
        description="A customer's credit agreements, the latest ending first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_agreements(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        first: Annotated[int | None, FIRST] = 20,
        after: Annotated[str | None, AFTER] = None,
    ) -> CreditAgreementConnection:
        size = _size(info, first)
        customer = _id(customer_id, "Customer")
        items = await agreements.for_customer(info.context.session, customer)
        return _page(
            CreditAgreementEdge, CreditAgreementConnection, items,
            CreditAgreement.build, after, size,
        )  # fmt: skip

    @strawberry.field(
        description="A customer's credit reviews, open and done, the latest due first."
        + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_reviews(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        first: Annotated[int | None, FIRST] = 20,
        after: Annotated[str | None, AFTER] = None,
    ) -> CreditReviewConnection:
        size = _size(info, first)
        customer = _id(customer_id, "Customer")
        items = (await reviews.for_customer(info.context.session, [customer]))[customer]
        return _page(
            CreditReviewEdge, CreditReviewConnection, items, CreditReview.build, after, size
        )

    @strawberry.field(
        description="The credit-file completeness policy and review interval in force."
        + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_file_policy(self, info: Info[Context, Any]) -> CreditFilePolicy:
        policy = await file_policy.read(info.context.session)
        return CreditFilePolicy.build(policy)
