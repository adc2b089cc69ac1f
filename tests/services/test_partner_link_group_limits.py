"""A partner link never gives a group two group limits: a control link joining two groups that
each have one (in force or lapsed) is refused, and nothing of it is written; any other link
passes (one limit, limits only asked for, a kind that makes no group, a link inside a group)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.errors import DomainError
from services.credit import class_policy, limits
from services.customers.credit_files import link_partner, unlink_partner
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import ANALYST, TODAY, approved_limit, customer

ADMIN = Actor("adm", frozenset({"admin"}))


async def _link(
    runtime: Any, tenant: UUID, one: UUID, other: UUID, kind: str = "SUBSIDIARY"
) -> UUID:
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        relation = await link_partner(uow, one, other, kind, None)
        await uow.commit()
    return relation.id


async def _group(runtime: Any, tenant: UUID, code: str) -> tuple[UUID, UUID]:
    """A parent and its subsidiary."""
    parent = await customer(runtime, tenant, f"{code}-P")
    child = await customer(runtime, tenant, f"{code}-C")
    await _link(runtime, tenant, parent, child)
    return parent, child


async def _asked(runtime: Any, tenant: UUID, anchor: UUID) -> UUID:
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        request = await limits.set_limit(
            uow, anchor, MoneyIn("300000.00", "CNY"), TODAY, None, scope="GROUP", today=TODAY
        )
        await uow.commit()
    return request.id


def _written(database: Any) -> tuple[Any, ...]:
    return (
        database.query("SELECT count(*) FROM customer_relations"),
        database.query("SELECT count(*) FROM audit_log WHERE action = 'LINK_PARTNER'"),
    )


async def test_a_link_joining_two_groups_each_with_a_group_limit_is_refused(
    runtime, tenants, database
):
    # given two groups, each with its group limit in force
    tenant = tenants["acme"]
    first, first_child = await _group(runtime, tenant, "JL1")
    second, second_child = await _group(runtime, tenant, "JL2")
    for anchor in (first, second):
        await approved_limit(runtime, tenant, anchor, "400000.00", scope="GROUP")
    before = _written(database)
    # when a control link would join them
    with pytest.raises(DomainError) as exc:
        await _link(runtime, tenant, first_child, second_child)
    # then it is refused on the related party, naming both anchors, and nothing is written
    assert (exc.value.code, exc.value.field) == ("GROUP_LIMIT_EXISTS", "relatedId")
    assert "JL1-P" in exc.value.message and "JL2-P" in exc.value.message
    assert _written(database) == before
    # and so from the other side, or from an anchor itself
    for one, other in ((second_child, first_child), (first, second)):
        with pytest.raises(DomainError) as again:
            await _link(runtime, tenant, one, other, "PARENT")
        assert again.value.code == "GROUP_LIMIT_EXISTS"
    assert _written(database) == before


async def test_a_lapsed_group_limit_still_anchors_its_group(runtime, tenants, database):
    # given two groups, the first's group limit ended yesterday (history keeps it: its anchor
    # stays the group's, as requests and approvals read it)
    tenant = tenants["acme"]
    first, first_child = await _group(runtime, tenant, "JL3")
    second, second_child = await _group(runtime, tenant, "JL4")
    yesterday = TODAY - timedelta(days=1)
    await approved_limit(runtime, tenant, first, "400000.00", scope="GROUP", valid_to=yesterday)
    await approved_limit(runtime, tenant, second, "400000.00", scope="GROUP")
    # when a control link would join them, then it is refused
    with pytest.raises(DomainError) as exc:
        await _link(runtime, tenant, first_child, second_child)
    assert exc.value.code == "GROUP_LIMIT_EXISTS"
    assert "JL3-P" in exc.value.message


async def test_links_that_leave_one_group_limit_per_group_pass(runtime, tenants, database):
    tenant = tenants["acme"]
    first, first_child = await _group(runtime, tenant, "JL5")
    second, second_child = await _group(runtime, tenant, "JL6")
    third, _ = await _group(runtime, tenant, "JL7")
    await approved_limit(runtime, tenant, first, "400000.00", scope="GROUP")
    await approved_limit(runtime, tenant, second, "400000.00", scope="GROUP")
    # a kind that makes no group joins nothing
    await _link(runtime, tenant, first_child, second_child, "KEY_SUPPLIER")
    # a link inside a group with its limit joins no second group
    sibling = await customer(runtime, tenant, "JL5-S")
    await _link(runtime, tenant, first, sibling)
    await _link(runtime, tenant, sibling, first_child, "SHAREHOLDER")
    # a group with a limit joined to one without: the joined group has one
    await _link(runtime, tenant, third, first_child, "PARENT")
    assert database.query(
        "SELECT count(*) FROM customer_relations WHERE related_customer_id = %s", first_child
    ) == [(3,)]


async def test_groups_whose_limits_are_only_asked_for_may_be_joined(runtime, tenants, database):
    # given two groups, each with a group limit awaiting approval
    tenant = tenants["acme"]
    first, first_child = await _group(runtime, tenant, "JL8")
    second, second_child = await _group(runtime, tenant, "JL9")
    asked = [await _asked(runtime, tenant, first), await _asked(runtime, tenant, second)]
    # when a link joins them, then it passes: the first approved becomes the anchor, and
    # approval refuses the other (limit_groups.check_at_approval)
    await _link(runtime, tenant, first_child, second_child)
    assert len(asked) == 2


async def test_a_kind_the_tenant_counts_as_a_group_link_is_checked_too(runtime, tenants, database):
    # given a tenant whose groups are also made by guarantees, and two groups with limits
    tenant = tenants["acme"]
    async with UnitOfWork(runtime.engine, tenant, ADMIN) as uow:
        await class_policy.update(
            uow, {"groupRelationKinds": ["PARENT", "SUBSIDIARY", "SHAREHOLDER", "GUARANTOR"]}
        )
        await uow.commit()
    first, first_child = await _group(runtime, tenant, "JLA")
    second, second_child = await _group(runtime, tenant, "JLB")
    for anchor in (first, second):
        await approved_limit(runtime, tenant, anchor, "400000.00", scope="GROUP")
    # when a guarantee would join them, then it is refused; a supplier link is not
    with pytest.raises(DomainError) as exc:
        await _link(runtime, tenant, first_child, second_child, "GUARANTOR")
    assert exc.value.code == "GROUP_LIMIT_EXISTS"
    await _link(runtime, tenant, first_child, second_child, "KEY_BUYER")


async def test_an_unlink_is_never_refused_for_group_limits(runtime, tenants, database):
    # given a group with its limit: splitting it leaves the anchor on one part, none on the other
    tenant = tenants["acme"]
    parent = await customer(runtime, tenant, "JLC-P")
    child = await customer(runtime, tenant, "JLC-C")
    link = await _link(runtime, tenant, parent, child)
    await approved_limit(runtime, tenant, parent, "400000.00", scope="GROUP")
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        await unlink_partner(uow, link)
        await uow.commit()
    assert database.query("SELECT count(*) FROM customer_relations") == [(0,)]


async def test_new_group_kinds_that_would_join_two_anchors_groups_are_refused(
    runtime, tenants, database
):
    # given two groups with their group limits, joined by a guarantee (no group kind today)
    tenant = tenants["acme"]
    first, first_child = await _group(runtime, tenant, "JLD")
    second, second_child = await _group(runtime, tenant, "JLE")
    for anchor in (first, second):
        await approved_limit(runtime, tenant, anchor, "400000.00", scope="GROUP")
    await _link(runtime, tenant, first_child, second_child, "GUARANTOR")
    versions = "SELECT count(*) FROM credit_policies"
    before = database.query(versions)
    # when the tenant would count guarantees as group links
    kinds = ["PARENT", "SUBSIDIARY", "SHAREHOLDER", "GUARANTOR"]
    with pytest.raises(DomainError) as exc:
        async with UnitOfWork(runtime.engine, tenant, ADMIN) as uow:
            await class_policy.update(uow, {"groupRelationKinds": kinds})
            await uow.commit()
    # then it is refused on the kinds, naming both anchors, and no version is written
    assert (exc.value.code, exc.value.field) == ("GROUP_LIMIT_EXISTS", "groupRelationKinds")
    assert "JLD-P" in exc.value.message and "JLE-P" in exc.value.message
    assert database.query(versions) == before
    # and once the guarantee is unlinked, the same kinds pass, as do narrower ones at any time
    async with UnitOfWork(runtime.engine, tenant, ADMIN) as uow:
        await class_policy.update(uow, {"groupRelationKinds": ["PARENT", "SUBSIDIARY"]})
        await uow.commit()
    link = database.query("SELECT id FROM customer_relations WHERE kind = 'GUARANTOR'")[0][0]
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        await unlink_partner(uow, link)
        await uow.commit()
    async with UnitOfWork(runtime.engine, tenant, ADMIN) as uow:
        policy = await class_policy.update(uow, {"groupRelationKinds": kinds})
        await uow.commit()
    assert "GUARANTOR" in policy.group_relation_kinds
