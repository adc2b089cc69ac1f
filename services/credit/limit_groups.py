"""One group limit per connected group, filed on its anchor.

A group limit caps the exposure of every customer connected to its anchor (the tenant's
group relation kinds, both directions, transitively: the members a credit check reads). Two
anchors in one group would count the same exposure twice and make every check of the group
take two group locks; an anchor whose group limit lapsed keeps blocking the group's checks
until it is renewed there. So a group limit is refused on a customer with no group
(NO_GROUP) and on any member but the group's anchor (GROUP_LIMIT_EXISTS, naming it).

Links change between request and approval, so the rule is checked again at approval
(`check_at_approval`): two groups joined by a partner link meanwhile may each hold or await a
group limit. There, a request still awaiting approval elsewhere in the group does not count
(else two requests joined could never be approved): the first approved is the anchor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from domain.errors import DomainError
from services.uow import UnitOfWork

#: The connected group of a customer, as the credit check's FACTS_SQL walks it.
MEMBERS_SQL = sa.text("""
WITH RECURSIVE members(id) AS (
    SELECT CAST(:customer AS uuid)
    UNION
    SELECT CASE WHEN r.customer_id = m.id THEN r.related_customer_id ELSE r.customer_id END
      FROM members m JOIN customer_relations r
        ON r.tenant_id = :tenant AND (r.customer_id = m.id OR r.related_customer_id = m.id)
     WHERE r.kind = ANY (CAST(:kinds AS text[]))
)
SELECT id FROM members""")

#: Group limits (any, the lapsed too) and, when :pending, pending group requests of other
#: members, the newest first, with the anchor's code and name.
ANCHORS_SQL = sa.text("""
SELECT h.customer_id, c.code, c.legal_name, h.state, h.valid_from, h.valid_to
  FROM (SELECT customer_id, 'LIMIT' AS state, valid_from, valid_to, created_at
          FROM credit_limits
         WHERE tenant_id = :tenant AND scope = 'GROUP' AND customer_id = ANY (:others)
        UNION ALL
        SELECT customer_id, 'PENDING', valid_from, valid_to, created_at
          FROM credit_limit_requests
         WHERE tenant_id = :tenant AND scope = 'GROUP' AND status = 'PENDING'
           AND customer_id = ANY (:others) AND CAST(:pending AS boolean)) h
  JOIN customers c ON c.tenant_id = :tenant AND c.id = h.customer_id
 ORDER BY h.created_at DESC
 LIMIT 1""")


#: Two group-limit anchors one group would hold under the relation kinds :kinds (any pair).
JOINED_ANCHORS_SQL = sa.text("""
WITH RECURSIVE anchors(id) AS (
    SELECT DISTINCT customer_id FROM credit_limits WHERE tenant_id = :tenant AND scope = 'GROUP'
), walk(root, id) AS (
    SELECT id, id FROM anchors
    UNION
    SELECT w.root,
           CASE WHEN r.customer_id = w.id THEN r.related_customer_id ELSE r.customer_id END
      FROM walk w JOIN customer_relations r
        ON r.tenant_id = :tenant AND (r.customer_id = w.id OR r.related_customer_id = w.id)
     WHERE r.kind = ANY (CAST(:kinds AS text[]))
)
SELECT a.code AS first, b.code AS second
  FROM walk w JOIN anchors x ON x.id = w.id
  JOIN customers a ON a.tenant_id = :tenant AND a.id = w.root
  JOIN customers b ON b.tenant_id = :tenant AND b.id = w.id
 WHERE w.root < w.id
 ORDER BY a.code, b.code
 LIMIT 1""")


def _state(state: str, valid_from: date, valid_to: date | None, today: date | None) -> str:
    """How the anchor's limit stands on `today` (without one: its period, as stored)."""
    if state == "PENDING":
        return "awaiting approval"
    if today is None:
        return f"valid from {valid_from}" + (f" to {valid_to}" if valid_to is not None else "")
    if valid_to is not None and valid_to < today:
        return f"ended on {valid_to}: renew it there"
    return "in force" if valid_from <= today else f"from {valid_from}"


async def take_turns(uow: UnitOfWork) -> None:
    """Group-limit requests and approvals, partner links and unlinks of the tenant take turns
    (a transaction lock of its own namespace). Requests and approvals take it last, links
    first (before their customers' rows): no holder waits for a lock a waiter for it holds."""
    await uow.conn.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
        {"k": f"{uow.tenant_id}:group-limits"},
    )


async def check_one_group_limit(
    uow: UnitOfWork, customer_id: UUID, kinds: Sequence[str], today: date
) -> None:
    """Refuse a group limit on a customer without a group, or in a group whose limit is
    anchored (or asked for) on another member. Group-limit requests of the tenant take turns
    (a transaction lock), so two members cannot both become anchors at once."""
    await take_turns(uow)
    await _check(uow, customer_id, kinds, today, pending=True, fields=("scope", "customerId"))


async def check_at_approval(uow: UnitOfWork, customer_id: UUID, kinds: Sequence[str]) -> None:
    """The same rule when a group limit is approved, against the links and limits of now;
    another member's request awaiting approval does not count. Taking the same turns as
    requests, two approvals in groups just joined cannot both pass."""
    await take_turns(uow)
    await _check(uow, customer_id, kinds, None, pending=False, fields=("id", "id"))


async def members(uow: UnitOfWork, customer_id: UUID, kinds: Sequence[str]) -> set[UUID]:
    """The customer's group over links of `kinds`, the customer included."""
    found = await uow.conn.scalars(
        MEMBERS_SQL, {"customer": customer_id, "tenant": uow.tenant_id, "kinds": list(kinds)}
    )
    return set(found)


async def _check(
    uow: UnitOfWork,
    customer_id: UUID,
    kinds: Sequence[str],
    today: date | None,
    *,
    pending: bool,
    fields: tuple[str, str],
) -> None:
    """The rule itself; `fields` are where the input names the scope and the customer, and
    `today` dates the anchor's state (an approval, which has no date, names its period)."""
    others = [m for m in await members(uow, customer_id, kinds) if m != customer_id]
    if not others:
        raise DomainError(
            "NO_GROUP",
            f"the customer has no group links ({', '.join(kinds)}): a group limit needs a group",
            fields[0],
        )
    anchor: Any = (
        await uow.conn.execute(
            ANCHORS_SQL, {"tenant": uow.tenant_id, "others": others, "pending": pending}
        )
    ).first()
    if anchor is not None:
        then = f"request it on {anchor.code}" if pending else "reject this request"
        raise DomainError(
            "GROUP_LIMIT_EXISTS",
            f"the group's limit is anchored on {anchor.code} ({anchor.legal_name}), "
            f"{_state(anchor.state, anchor.valid_from, anchor.valid_to, today)}; a group has "
            f"one group limit: {then}",
            fields[1],
        )


async def check_kinds(uow: UnitOfWork, kinds: Sequence[str]) -> None:
    """Refuse group relation kinds under which two group-limit anchors would share a group
    (links of a kind that made no group would join them), under the turn links take."""
    await take_turns(uow)
    pair = (
        await uow.conn.execute(JOINED_ANCHORS_SQL, {"tenant": uow.tenant_id, "kinds": list(kinds)})
    ).first()
    if pair is not None:
        raise DomainError(
            "GROUP_LIMIT_EXISTS",
            f"with the group relation kinds {', '.join(kinds)}, the groups of {pair.first} "
            f"and {pair.second} would be one, and each has a group limit (a lapsed one still "
            "anchors its group); a group has one group limit, so unlink them first or keep "
            "the kinds",
            "groupRelationKinds",
        )
