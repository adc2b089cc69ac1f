"""The dossier through GraphQL: entries, partners, reviews, completeness and warnings."""

from __future__ import annotations

from datetime import date, timedelta

from services.customers import reviews
from services.uow import UnitOfWork
from tests.conftest import gql, token
from tests.schema.test_customers_api import create

ENTRY = """mutation E($input: AddCreditFileEntryInput!) { addCreditFileEntry(input: $input) {
  entry { id kind title occurredOn createdBy } userErrors { field code } } }"""
LINK = """mutation L($input: LinkPartnerInput!) { linkPartner(input: $input) {
  partnerId userErrors { field code } } }"""
UNLINK = """mutation U($input: UnlinkPartnerInput!) { unlinkPartner(input: $input) {
  customerId userErrors { field code } } }"""
REVIEW = """mutation R($input: RecordCreditReviewInput!) { recordCreditReview(input: $input) {
  customer { creditFile { lastReviewedOn nextReviewDueOn } } userErrors { field code } } }"""
FILE = """query F($id: ID!) { customer(id: $id) { creditFile {
  completeness { ratio missing { key reason } } partners { kind relatedCode relatedName }
  timeline { kind title } } } }"""
WARNINGS = """query W($filter: WarningFilter) { warnings(filter: $filter) { totalCount
  edges { node { id kind level status customer { code } acknowledgedBy } } } }"""
ACK = """mutation A($input: AcknowledgeWarningInput!) { acknowledgeWarning(input: $input) {
  warning { status acknowledgedBy acknowledgeNote } userErrors { code } } }"""


async def test_dossier_entries_partners_and_completeness(client, settings, database):
    # given
    bearer = token(settings, roles=["credit_analyst"])
    one = (await create(client, bearer, "P-1"))["customer"]
    two = (await create(client, bearer, "P-2"))["customer"]
    today = date.today()
    # when
    entry = await gql(
        client,
        ENTRY,
        {
            "input": {
                "customerId": one["id"],
                "occurredOn": today.isoformat(),
                "kind": "FINANCIAL_STATEMENT",
                "title": "2025 accounts",
            }
        },
        bearer,
    )
    link = await gql(
        client,
        LINK,
        {"input": {"customerId": one["id"], "relatedId": two["id"], "kind": "GUARANTOR"}},
        bearer,
    )
    dup = await gql(
        client,
        LINK,
        {"input": {"customerId": one["id"], "relatedId": two["id"], "kind": "GUARANTOR"}},
        bearer,
    )
    selfie = await gql(
        client,
        LINK,
        {"input": {"customerId": one["id"], "relatedId": one["id"], "kind": "PARENT"}},
        bearer,
    )
    future = await gql(
        client,
        ENTRY,
        {
            "input": {
                "customerId": one["id"],
                "occurredOn": (today + timedelta(days=3)).isoformat(),
                "kind": "NOTE",
                "title": "x",
            }
        },
        bearer,
    )
    dossier = (await gql(client, FILE, {"id": one["id"]}, bearer))["data"]["customer"]
    # then
    assert entry["data"]["addCreditFileEntry"]["entry"]["createdBy"] == "alice"
    assert link["data"]["linkPartner"]["userErrors"] == []
    assert dup["data"]["linkPartner"]["userErrors"][0]["code"] == "DUPLICATE_RELATION"
    assert selfie["data"]["linkPartner"]["userErrors"][0]["code"] == "SELF_RELATION"
    assert future["data"]["addCreditFileEntry"]["userErrors"] == [
        {"field": "occurredOn", "code": "FUTURE_DATE"}
    ]
    file = dossier["creditFile"]
    assert file["partners"] == [
        {"kind": "GUARANTOR", "relatedCode": "P-2", "relatedName": "上海测试贸易有限公司"}
    ]
    assert file["timeline"] == [{"kind": "FINANCIAL_STATEMENT", "title": "2025 accounts"}]
    missing = {m["key"] for m in file["completeness"]["missing"]}
    assert "PARTNERS" not in missing and "FINANCIAL_STATEMENT" not in missing
    assert "CREDIT_REPORT" in missing
    assert database.query("SELECT count(*) FROM credit_file_entries") == [(1,)]
    # and unlinking removes it, audited
    partner_id = link["data"]["linkPartner"]["partnerId"]
    gone = await gql(client, UNLINK, {"input": {"id": partner_id}}, bearer)
    assert gone["data"]["unlinkPartner"]["customerId"] == one["id"]
    assert database.query("SELECT count(*) FROM customer_relations") == [(0,)]
    assert database.query(
        "SELECT action FROM audit_log WHERE entity_type = 'CustomerRelation' ORDER BY id"
    ) == [("LINK_PARTNER",), ("UNLINK_PARTNER",)]


async def test_partner_of_another_tenant_is_not_found(client, settings, database):
    acme, globex = token(settings, "acme"), token(settings, "globex")
    mine = (await create(client, acme, "M-1"))["customer"]
    theirs = (await create(client, globex, "T-1"))["customer"]
    body = await gql(
        client,
        LINK,
        {"input": {"customerId": mine["id"], "relatedId": theirs["id"], "kind": "PARENT"}},
        acme,
    )
    assert body["data"]["linkPartner"]["userErrors"] == [
        {"field": "relatedId", "code": "NOT_FOUND"}
    ]
    assert database.query("SELECT count(*) FROM customer_relations") == [(0,)]


async def test_warnings_list_acknowledge_and_review_settles_stale(
    client, settings, runtime, tenants, database
):
    # given: a customer whose review is overdue, and a review run
    bearer = token(settings)
    created = (await create(client, bearer, "W-1"))["customer"]
    database.query("UPDATE customers SET last_reviewed_on = current_date - 500")
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        await reviews.review_credit_files(uow, date.today())
        await uow.commit()
    # when
    listed = (await gql(client, WARNINGS, {"filter": {"status": "OPEN"}}, bearer))["data"]
    incomplete = next(
        e["node"]
        for e in listed["warnings"]["edges"]
        if e["node"]["kind"] == "CREDIT_FILE_INCOMPLETE"
    )
    ack = await gql(client, ACK, {"input": {"id": incomplete["id"], "note": "calling"}}, bearer)
    again = await gql(client, ACK, {"input": {"id": incomplete["id"]}}, bearer)
    review = await gql(client, REVIEW, {"input": {"customerId": created["id"]}}, bearer)
    # then
    assert listed["warnings"]["totalCount"] == 2
    assert incomplete["customer"]["code"] == "W-1"
    assert ack["data"]["acknowledgeWarning"]["warning"] == {
        "status": "ACKNOWLEDGED",
        "acknowledgedBy": "alice",
        "acknowledgeNote": "calling",
    }
    assert again["data"]["acknowledgeWarning"]["userErrors"] == [{"code": "ALREADY_ACKNOWLEDGED"}]
    file = review["data"]["recordCreditReview"]["customer"]["creditFile"]
    assert file["lastReviewedOn"] == date.today().isoformat()
    assert file["nextReviewDueOn"] == (date.today() + timedelta(days=365)).isoformat()
    assert database.query("SELECT kind, status FROM warnings ORDER BY kind") == [
        ("CREDIT_FILE_INCOMPLETE", "ACKNOWLEDGED"),
        ("CREDIT_FILE_STALE", "ACKNOWLEDGED"),
    ]


async def test_viewer_cannot_change_the_dossier(client, settings, database):
    manager = token(settings)
    created = (await create(client, manager, "V-1"))["customer"]
    viewer = token(settings, roles=["viewer"])
    body = await gql(
        client,
        ENTRY,
        {
            "input": {
                "customerId": created["id"],
                "occurredOn": date.today().isoformat(),
                "kind": "NOTE",
                "title": "x",
            }
        },
        viewer,
    )
    audit = await gql(
        client,
        "query($id: ID!) { customer(id: $id) { auditTrail { at } } }",
        {"id": created["id"]},
        viewer,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert audit["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert database.query("SELECT count(*) FROM credit_file_entries") == [(0,)]


async def test_control_links_cannot_contradict_or_repeat_from_the_other_side(
    client, settings, database
):
    bearer = token(settings)
    parent = (await create(client, bearer, "G-P"))["customer"]
    child = (await create(client, bearer, "G-S"))["customer"]

    async def link(customer: str, related: str, kind: str) -> list[dict[str, str]]:
        body = await gql(
            client, LINK, {"input": {"customerId": customer, "relatedId": related, "kind": kind}},
            bearer,
        )  # fmt: skip
        return [
            {"field": e["field"], "code": e["code"]}
            for e in body["data"]["linkPartner"]["userErrors"]
        ]

    # given G-S is G-P's subsidiary
    assert await link(parent["id"], child["id"], "SUBSIDIARY") == []
    # then G-S cannot be G-P's parent, written from either side
    opposite = [{"field": "kind", "code": "CONTRADICTORY_RELATION"}]
    assert [
        await link(*args)
        for args in (
            (parent["id"], child["id"], "PARENT"),
            (child["id"], parent["id"], "SUBSIDIARY"),
        )
    ] == [opposite, opposite]
    # and the same fact from the other side is a duplicate; other kinds stay free
    repeated = await link(child["id"], parent["id"], "PARENT")
    assert repeated == [{"field": "kind", "code": "DUPLICATE_RELATION"}]
    assert await link(child["id"], parent["id"], "GUARANTOR") == []
    assert database.query("SELECT kind FROM customer_relations ORDER BY kind") == [
        ("GUARANTOR",),
        ("SUBSIDIARY",),
    ]


async def test_an_unknown_customer_is_refused_on_the_field_that_named_it(client, settings):
    """A credit-file entry or a partner link for a customer not in the tenant names the input's
    `customerId` (there is no `id` in their inputs), so a form can mark the right field."""
    # given
    from uuid import uuid4

    from schema.relay import to_global_id

    bearer = token(settings, roles=["credit_analyst"])
    known = (await create(client, bearer, "P-9"))["customer"]
    nobody = str(to_global_id("Customer", uuid4()))
    # when
    entry = await gql(
        client,
        ENTRY,
        {
            "input": {
                "customerId": nobody,
                "occurredOn": date.today().isoformat(),
                "kind": "FINANCIAL_STATEMENT",
                "title": "2025 accounts",
            }
        },
        bearer,
    )
    link = await gql(
        client,
        LINK,
        {"input": {"customerId": nobody, "relatedId": known["id"], "kind": "GUARANTOR"}},
        bearer,
    )
    # then
    errors = entry["data"]["addCreditFileEntry"]["userErrors"]
    assert errors == [{"field": "customerId", "code": "NOT_FOUND"}]
    errors = link["data"]["linkPartner"]["userErrors"]
    assert errors == [{"field": "customerId", "code": "NOT_FOUND"}]
