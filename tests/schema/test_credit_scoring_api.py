"""Credit scoring through HTTP: scores, versions, four-eyes overrides, simulation, back-test."""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import gql, token
from tests.schema.test_credit_analysis_api import RECORD, statement_input
from tests.schema.test_customers_api import create

SCORE = """mutation S($input: ScoreCustomerInput!) { scoreCustomer(input: $input) {
  score { score scoreClass ratingClass reasonCodes knockOuts missingInputs
    inputs { input value missingReason } factors { input points band missing shortfall }
    version { number status } customer { code } }
  classChange { fromClass toClass direction source proposedTerms { netDays template } }
  heldByOverride userErrors { field code } } }"""

VERSIONS = """query { activeScorecard { id number status definition {
  currency reasonCount thresholds { a b c }
  factors { input weight missing bands { label points lower upper categories otherwise } }
  knockOuts { code input operator values cap } } } }"""

CREATE_VERSION = """mutation C($input: CreateScorecardVersionInput!) {
  createScorecardVersion(input: $input) {
    version { id number status } userErrors { field code } } }"""

UPDATE_VERSION = """mutation U($input: UpdateScorecardVersionInput!) {
  updateScorecardVersion(input: $input) { version { id } userErrors { field code } } }"""

ACTIVATE = """mutation A($input: ActivateScorecardVersionInput!) {
  activateScorecardVersion(input: $input) { version { number status activatedBy }
  userErrors { field code } } }"""

OVERRIDE = """mutation O($input: OverrideCreditClassInput!) { overrideCreditClass(input: $input) {
  override { id status fromClass toClass direction reason requestedBy decidedBy validUntil
    customer { code } }
  classChange { fromClass toClass direction } userErrors { field code } } }"""

DECIDE = """mutation D($input: DecideClassOverrideInput!) { decideClassOverride(input: $input) {
  override { status decidedBy } classChange { toClass direction } userErrors { field code } } }"""

HISTORY = """query H($id: ID!) {
  creditClassHistory(customerId: $id) { edges { node { fromClass toClass source reason } } }
  creditScores(customerId: $id, first: 5) { edges { node { ratingClass } } }
  classOverrides(customerId: $id) { edges { node { status } } } }"""

SIMULATE = """query Sim($id: ID!) { scorecardSimulation(versionId: $id, first: 10) {
  customers moved version { number } baseline { number }
  matrix { fromClass cells { toClass customers } }
  movers { code classBefore classAfter scoreBefore scoreAfter } moversHasNext } }"""

BACKTEST = """query { scorecardBacktest { classes { ratingClass scored bad badRate } } }"""


def definition(raw: dict[str, Any]) -> dict[str, Any]:
    """The active definition as read, turned back into an input (a deep copy)."""
    raw = copy.deepcopy(raw)
    return {
        "currency": raw["currency"],
        "reasonCount": raw["reasonCount"],
        "thresholds": raw["thresholds"],
        "factors": [
            {
                "input": f["input"],
                "weight": f["weight"],
                "missing": f["missing"],
                "bands": f["bands"],
            }
            for f in raw["factors"]
        ],
        "knockOuts": raw["knockOuts"],
    }


async def test_score_a_customer_through_the_api(client, settings, database):
    # given: a customer with a sound statement, then scored by an analyst
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    customer = (await create(client, analyst, "SC-1"))["customer"]["id"]
    await gql(client, RECORD, {"input": statement_input(customer)}, analyst)
    # when
    body = await gql(
        client, SCORE, {"input": {"customerId": customer, "asOf": "2026-06-30"}}, analyst
    )
    sales = await gql(
        client, SCORE, {"input": {"customerId": customer}}, token(settings, roles=["sales"])
    )
    far = await gql(
        client, SCORE, {"input": {"customerId": customer, "asOf": "2300-01-01"}}, analyst
    )
    # then
    payload = body["data"]["scoreCustomer"]
    assert payload["userErrors"] == []
    score = payload["score"]
    assert score["version"] == {"number": 1, "status": "ACTIVE"}
    assert score["customer"] == {"code": "SC-1"}
    inputs = {i["input"]: i for i in score["inputs"]}
    assert inputs["ALTMAN_ZONE"]["value"] == "SAFE"
    assert inputs["LEGAL_STATUS"]["missingReason"] == "NOT_CHECKED"
    assert score["reasonCodes"] and len(score["reasonCodes"]) <= 4
    assert payload["classChange"]["toClass"] == score["ratingClass"]
    assert payload["classChange"]["direction"] == "INITIAL"
    assert sales["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert far["data"]["scoreCustomer"]["userErrors"] == [{"field": "asOf", "code": "INVALID_DATE"}]
    assert database.query("SELECT count(*) FROM credit_scores") == [(1,)]
    assert database.query("SELECT rating_class FROM customers") == [(score["ratingClass"],)]
    assert database.query("SELECT topic FROM events WHERE topic LIKE 'credit.%%'") == [
        ("credit.class_changed",)
    ]


async def test_scorecard_versions_through_the_api(client, settings, database):
    # given: the default installed by a first score, read back as a definition
    manager = token(settings, sub="mia")
    customer = (await create(client, manager, "SV-1"))["customer"]["id"]
    await gql(client, SCORE, {"input": {"customerId": customer}}, manager)
    active = (await gql(client, VERSIONS, None, manager))["data"]["activeScorecard"]
    good = definition(active["definition"])
    overlapping = definition(active["definition"])
    overlapping["factors"][0]["bands"][1]["lower"] = "1"  # < 2 overlaps 1 ..
    # when
    refused = await gql(client, CREATE_VERSION, {"input": {"definition": overlapping}}, manager)
    draft = await gql(
        client, CREATE_VERSION, {"input": {"definition": good, "note": "v2"}}, manager
    )
    draft_id = draft["data"]["createScorecardVersion"]["version"]["id"]
    activated = await gql(client, ACTIVATE, {"input": {"id": draft_id}}, token(settings, sub="max"))
    twice = await gql(client, ACTIVATE, {"input": {"id": draft_id}}, manager)
    edit = await gql(
        client, UPDATE_VERSION, {"input": {"id": draft_id, "definition": good}}, manager
    )
    # then
    assert refused["data"]["createScorecardVersion"] == {
        "version": None,
        "userErrors": [{"field": "definition.factors.0.bands.1", "code": "BAND_OVERLAP"}],
    }
    assert draft["data"]["createScorecardVersion"]["version"]["status"] == "DRAFT"
    assert activated["data"]["activateScorecardVersion"]["version"] == {
        "number": 2,
        "status": "ACTIVE",
        "activatedBy": "max",
    }
    assert twice["data"]["activateScorecardVersion"]["userErrors"] == [
        {"field": "id", "code": "ALREADY_ACTIVE"}
    ]
    assert edit["data"]["updateScorecardVersion"]["userErrors"] == [
        {"field": "id", "code": "VERSION_NOT_DRAFT"}
    ]
    assert database.query("SELECT number, status FROM scorecard_versions ORDER BY number") == [
        (1, "RETIRED"),
        (2, "ACTIVE"),
    ]
    assert database.query(
        "SELECT actor FROM audit_log WHERE action = 'ACTIVATE_SCORECARD_VERSION'"
    ) == [("max",)]


async def test_overrides_with_four_eyes_through_the_api(client, settings, database):
    # given: a customer of class C
    mia, max_ = token(settings, sub="mia"), token(settings, sub="max")
    customer = (await create(client, mia, "OV-1"))["customer"]["id"]
    database.query("UPDATE customers SET rating_class = 'C'")
    # when
    no_reason = await gql(
        client, OVERRIDE, {"input": {"customerId": customer, "ratingClass": "A", "reason": ""}}, mia
    )
    asked = await gql(
        client,
        OVERRIDE,
        {"input": {"customerId": customer, "ratingClass": "A", "reason": "bank guarantee"}},
        mia,
    )
    override_id = asked["data"]["overrideCreditClass"]["override"]["id"]
    own = await gql(client, DECIDE, {"input": {"id": override_id, "approve": True}}, mia)
    analyst = await gql(
        client,
        DECIDE,
        {"input": {"id": override_id, "approve": True}},
        token(settings, roles=["credit_analyst"], sub="ana"),
    )
    approved = await gql(client, DECIDE, {"input": {"id": override_id, "approve": True}}, max_)
    history = await gql(client, HISTORY, {"id": customer}, mia)
    # then
    assert no_reason["data"]["overrideCreditClass"]["userErrors"] == [
        {"field": "reason", "code": "REQUIRED"}
    ]
    pending = asked["data"]["overrideCreditClass"]
    assert pending["override"]["status"] == "PENDING" and pending["classChange"] is None
    assert own["data"]["decideClassOverride"]["userErrors"] == [
        {"field": "id", "code": "SELF_APPROVAL"}
    ]
    assert analyst["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    done = approved["data"]["decideClassOverride"]
    assert done["override"] == {"status": "APPLIED", "decidedBy": "max"}
    assert done["classChange"] == {"toClass": "A", "direction": "UPGRADE"}
    data = history["data"]
    assert data["creditClassHistory"]["edges"][0]["node"]["source"] == "OVERRIDE"
    assert data["classOverrides"]["edges"] == [{"node": {"status": "APPLIED"}}]
    assert database.query("SELECT rating_class FROM customers") == [("A",)]
    assert database.query("SELECT count(*) FROM class_overrides") == [(1,)]


async def test_simulation_and_backtest_through_the_api(client, settings, database):
    # given: three customers scored with the default; a draft with a higher A threshold
    manager = token(settings)
    for n in range(3):
        customer = (await create(client, manager, f"SIM-{n}"))["customer"]["id"]
        await gql(client, RECORD, {"input": statement_input(customer)}, manager)
        await gql(client, SCORE, {"input": {"customerId": customer}}, manager)
    active = (await gql(client, VERSIONS, None, manager))["data"]["activeScorecard"]
    strict = definition(active["definition"])
    strict["thresholds"] = {"a": "99", "b": "90", "c": "80"}
    draft = await gql(client, CREATE_VERSION, {"input": {"definition": strict}}, manager)
    draft_id = draft["data"]["createScorecardVersion"]["version"]["id"]
    # when
    sim = await gql(client, SIMULATE, {"id": draft_id}, manager)
    unknown = await gql(client, SIMULATE, {"id": active["id"][:-4] + "AAAA"}, manager)
    backtest = await gql(client, BACKTEST, None, manager)
    # then
    result = sim["data"]["scorecardSimulation"]
    assert (result["customers"], result["moved"]) == (3, 3)
    assert result["version"]["number"] == 2 and result["baseline"]["number"] == 1
    cells = {
        (r["fromClass"], c["toClass"]): c["customers"] for r in result["matrix"] for c in r["cells"]
    }
    assert sum(cells.values()) == 3
    assert [m["code"] for m in result["movers"]] == ["SIM-0", "SIM-1", "SIM-2"]
    assert all(m["classAfter"] == "D" for m in result["movers"])
    assert unknown["data"]["scorecardSimulation"] is None
    classes = {c["ratingClass"]: c for c in backtest["data"]["scorecardBacktest"]["classes"]}
    assert sum(c["scored"] for c in classes.values()) == 3
    assert all(c["bad"] == 0 for c in classes.values())
    assert database.query("SELECT count(*) FROM credit_scores") == [(3,)]
