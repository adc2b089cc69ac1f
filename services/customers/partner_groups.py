"""Partner links and group limits: a link never gives a group two group limits.

A link of one of the tenant's group relation kinds joins the groups of its two customers
(services.credit.limit_groups reads a group from those links). When each group already has a
group limit (in force or lapsed: history keeps its anchor), the link is refused
(GROUP_LIMIT_EXISTS, domain.partners.group_limits_conflict) rather than accepted: a credit
check would hold the whole joined group to both limits, each sized for one part, and every
renewal on either anchor would be refused for naming the other.

Links and unlinks take the tenant's group-limit turn (limit_groups.take_turns), as group-limit
requests and approvals do, so neither side misses a change the other is committing. They take
it first, before locking their customers' rows: an approval holding the turn goes on to write
its limit, which key-share locks its anchor's row, so a link holding that row while waiting
for the turn would deadlock with it.
"""

from __future__ import annotations

from uuid import UUID

from dbschema.queries import customers as customer_queries
from domain.partners import group_limits_conflict
from services.credit import class_policy, limit_groups
from services.uow import UnitOfWork


async def check_join(uow: UnitOfWork, customer_id: UUID, related_id: UUID, kind: str) -> None:
    """Refuse a link that would join two groups each with a group limit (under the turn, so
    the limits and links read are the ones committed before it)."""
    kinds = list((await class_policy.load(uow.conn)).group_relation_kinds)
    if kind not in kinds:
        return  # a kind that makes no group joins none
    ours = await limit_groups.members(uow, customer_id, kinds)
    if related_id in ours:
        return  # one group already: the link joins nothing
    theirs = await limit_groups.members(uow, related_id, kinds)
    anchors = await customer_queries.group_limit_anchors(uow.conn, [*ours, *theirs])
    conflict = group_limits_conflict(
        [a.code for a in anchors if a.id in ours], [a.code for a in anchors if a.id in theirs]
    )
    if conflict is not None:
        raise conflict
