"""Read entry points of applications, agreements, reviews and the credit-file policy.

A customer has a handful of each a year, so a page is cut from the customer's whole list
(one statement) by position; the cursor is the position and the row's id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from operator import attrgetter
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from domain import roles
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
from schema.credit.limits.queries import _asked, _id
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import Window, connection, edges_of, row_cursor, slice_of
from services.credit import agreements, application_reads, file_policy, reviews

READ = roles.READ_CREDIT_APPLICATIONS
CUSTOMER = strawberry.argument(description="Global id of the customer.")
AGREEMENTS_AS_OF = strawberry.argument(
    description="Statuses as of this day (signed ones are not yet in force before validFrom);"
    " default today."
)
R = TypeVar("R")


def _page(
    edge: Callable[..., Any],
    conn: Callable[..., Any],
    items: Sequence[R],
    build: Callable[[R], Any],
    asked: Window,
) -> Any:
    ident = attrgetter("id")
    page, more = slice_of(items, asked, ident)
    edges = edges_of(edge, page, build, lambda item: row_cursor(ident(item)))
    return connection(conn, edges, more, None, asked)


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
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CreditApplicationConnection:
        asked = _asked(info, first, after, last, before)
        customer = _id(customer_id, "Customer")
        items = await application_reads.for_customer(
            info.context.session, customer, status.value if status else None
        )
        return _page(
            CreditApplicationEdge, CreditApplicationConnection, items,
            CreditApplication.build, asked,
        )  # fmt: skip

    @strawberry.field(
        description="A customer's credit agreements, the latest ending first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_agreements(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        as_of: Annotated[date | None, AGREEMENTS_AS_OF] = None,
    ) -> CreditAgreementConnection:
        asked = _asked(info, first, after, last, before)
        customer = _id(customer_id, "Customer")
        day = as_of or info.context.today
        items = await agreements.for_customer(info.context.session, customer, day)
        return _page(
            CreditAgreementEdge, CreditAgreementConnection, items,
            CreditAgreement.build, asked,
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
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CreditReviewConnection:
        asked = _asked(info, first, after, last, before)
        customer = _id(customer_id, "Customer")
        items = (await reviews.for_customer(info.context.session, [customer]))[customer]
        return _page(CreditReviewEdge, CreditReviewConnection, items, CreditReview.build, asked)

    @strawberry.field(
        description="The credit-file completeness policy and review interval in force."
        + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_file_policy(self, info: Info[Context, Any]) -> CreditFilePolicy:
        policy = await file_policy.read(info.context.session)
        return CreditFilePolicy.build(policy)
