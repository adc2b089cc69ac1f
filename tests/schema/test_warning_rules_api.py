"""The warning rules through GraphQL: settings refused whole when wrong, the lifecycle with
feedback, responses and their decisions, rule quality; the database checked after each."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx

from infra.settings import Settings
from schema.relay import to_global_id
from tests.conftest import Database, gql, token
from tests.services.warning_rules_helpers import AS_OF, customer, invoice, run

RULES = """{ warningRules { version downturnIndustries
  rules { rule enabled thresholds { name value default min max } }
  levels { level actions slaHours } } }"""
UPDATE_RULE = """mutation U($input: UpdateWarningRuleInput!) { updateWarningRule(input: $input) {
  settings { version rules { rule enabled thresholds { name value } } }
  userErrors { field code } } }"""
UPDATE_POLICY = """mutation P($input: UpdateWarningPolicyInput!) {
  updateWarningPolicy(input: $input) { settings { version downturnIndustries
  levels { level actions slaHours } } userErrors { field code } } }"""
CHANGE = """mutation C($input: ChangeWarningStatusInput!) { changeWarningStatus(input: $input) {
  warning { status feedback statusNote statusBy } userErrors { field code } } }"""
FEEDBACK = """mutation F($input: GiveWarningFeedbackInput!) { giveWarningFeedback(input: $input) {
  warning { feedback } userErrors { field code } } }"""
WARNINGS = """query W($filter: WarningFilter) { warnings(filter: $filter) { totalCount
  edges { node { id kind level status window ownerRole slaDueAt evidence
  responses { id action role status details } } } } }"""
DECIDE = """mutation D($input: DecideWarningResponseInput!) { decideWarningResponse(input: $input) {
  response { action status decidedBy decisionNote } userErrors { field code } } }"""
QUALITY = """{ warningRuleQuality { rule fired confirmed falseAlarms caught
  writeOffs { customerId daysBefore } } }"""


def _rule(settings_view: dict, name: str) -> dict:
    return next(r for r in settings_view["rules"] if r["rule"] == name)


async def test_rule_thresholds_bad_input_is_refused_whole(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    # given: a credit manager and the defaults
    manager = token(settings, roles=["credit_manager"])
    view = (await gql(client, RULES, bearer=manager))["data"]["warningRules"]
    overdue = _rule(view, "OVERDUE")
    assert view["version"] == 0 and overdue["enabled"] is True
    assert overdue["thresholds"][0] == {
        "name": "lightDays", "value": 15, "default": 15, "min": 1, "max": 3650,
    }  # fmt: skip
    assert [lv["actions"] for lv in view["levels"]] == [
        ["TASK"],
        ["TERMS_PROPOSAL", "REVIEW_FORWARD"],
        ["CREDIT_HOLD", "NOTIFY_LEGAL"],
    ]
    lt = "thresholds.lightDays"
    bad = [
        ({"rule": "NOPE", "thresholds": {"lightDays": 3}}, "rule", "UNKNOWN_RULE"),
        (
            {"rule": "OVERDUE", "thresholds": {"darkDays": 3}},
            "thresholds.darkDays",
            "UNKNOWN_FIELD",
        ),
        ({"rule": "OVERDUE", "thresholds": {"lightDays": "ten"}}, lt, "INVALID_THRESHOLD"),
        ({"rule": "OVERDUE", "thresholds": {"lightDays": 5000}}, lt, "OUT_OF_RANGE"),
        ({"rule": "OVERDUE", "thresholds": {"lightDays": 31}}, lt, "OUT_OF_ORDER"),
        ({"rule": "OVERDUE", "thresholds": [1, 2]}, "thresholds", "INVALID_THRESHOLD"),
    ]
    for given, field, code in bad:
        # when
        body = await gql(client, UPDATE_RULE, {"input": given}, bearer=manager)
        # then: refused, nothing written
        errors = [{"field": field, "code": code}]
        assert body["data"]["updateWarningRule"] == {"settings": None, "userErrors": errors}
    assert database.query("SELECT count(*) FROM warning_settings") == [(0,)]
    assert database.query("SELECT count(*) FROM audit_log") == [(0,)]

    # when: a good change, and a rule switched off
    body = await gql(
        client,
        UPDATE_RULE,
        {"input": {"rule": "OVERDUE", "thresholds": {"lightDays": 10}, "enabled": False}},
        bearer=manager,
    )
    # then
    saved = body["data"]["updateWarningRule"]
    assert saved["userErrors"] == []
    assert _rule(saved["settings"], "OVERDUE")["enabled"] is False
    assert _rule(saved["settings"], "OVERDUE")["thresholds"][0] == {
        "name": "lightDays",
        "value": 10,
    }
    assert database.query("SELECT thresholds, disabled, version FROM warning_settings") == [
        ({"OVERDUE": {"lightDays": 10}}, ["OVERDUE"], 1)
    ]
    assert database.query("SELECT action FROM audit_log") == [("UPDATE_WARNING_SETTINGS",)]
    # and a salesperson may not
    denied = await gql(
        client, UPDATE_RULE, {"input": {"rule": "OVERDUE"}}, bearer=token(settings, roles=["sales"])
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_policy_industries_responses_and_slas(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    manager = token(settings, roles=["credit_manager"])
    bad = await gql(
        client,
        UPDATE_POLICY,
        {"input": {"responses": {"HUGE": ["TASK"], "LIGHT": ["DANCE"]}, "slaHours": {"SEVERE": 0}}},
        bearer=manager,
    )
    assert bad["data"]["updateWarningPolicy"]["userErrors"] == [
        {"field": "responses.HUGE", "code": "UNKNOWN_FIELD"},
        {"field": "responses.LIGHT", "code": "UNKNOWN_FIELD"},
        {"field": "slaHours.SEVERE", "code": "OUT_OF_RANGE"},
    ]
    assert database.query("SELECT count(*) FROM warning_settings") == [(0,)]
    good = await gql(
        client,
        UPDATE_POLICY,
        {
            "input": {
                "downturnIndustries": [" Steel ", "Steel", "Property"],
                "responses": {"SEVERE": ["CREDIT_HOLD"]},
                "slaHours": {"SEVERE": 8},
            }
        },
        bearer=manager,
    )
    view = good["data"]["updateWarningPolicy"]
    assert view["userErrors"] == []
    assert view["settings"]["downturnIndustries"] == ["Steel", "Property"]
    assert view["settings"]["levels"][2] == {
        "level": "SEVERE", "actions": ["CREDIT_HOLD"], "slaHours": 8,
    }  # fmt: skip


async def test_lifecycle_feedback_responses_and_tenancy(
    client: httpx.AsyncClient, settings: Settings, database: Database, runtime, tenants
) -> None:
    # given: a customer 40 days late: a medium warning with a pending proposal
    tenant = tenants["acme"]
    late = customer(database, tenant, "L", salesperson="王伟")
    invoice(database, tenant, late, "I-1", AS_OF - timedelta(days=40))
    await run(runtime, tenant)
    manager = token(settings, roles=["credit_manager"])
    listed = (await gql(client, WARNINGS, bearer=manager))["data"]["warnings"]
    (node,) = [e["node"] for e in listed["edges"]]
    assert (node["kind"], node["level"], node["status"], node["window"]) == (
        "OVERDUE", "MEDIUM", "OPEN", "2026-11",
    )  # fmt: skip
    assert node["ownerRole"] == "credit_manager" and node["evidence"]["daysOverdue"] == 40
    actions = {r["action"]: r for r in node["responses"]}
    assert set(actions) == {"TERMS_PROPOSAL", "REVIEW_FORWARD"}
    assert actions["TERMS_PROPOSAL"]["details"]["proposal"] == "SHORTER_TERMS"

    # when: investigated, then resolved
    moves = []
    for status in ("INVESTIGATING", "RESOLVED"):
        body = await gql(
            client, CHANGE, {"input": {"id": node["id"], "status": status, "note": "called"}},
            bearer=manager,
        )  # fmt: skip
        moves.append(body["data"]["changeWarningStatus"])
    # then: true alarm by default on resolution; a final warning cannot reopen
    assert moves[1] == {
        "warning": {"status": "RESOLVED", "feedback": "TRUE_ALARM", "statusNote": "called",
                    "statusBy": "alice"},
        "userErrors": [],
    }  # fmt: skip
    back = await gql(
        client, CHANGE, {"input": {"id": node["id"], "status": "OPEN"}}, bearer=manager
    )
    assert back["data"]["changeWarningStatus"]["userErrors"] == [
        {"field": "status", "code": "INVALID_TRANSITION"}
    ]
    assert database.query("SELECT status, feedback FROM warnings") == [("RESOLVED", "TRUE_ALARM")]

    # when: the credit manager approves the proposal; a second decision is refused
    decided = await gql(
        client, DECIDE, {"input": {"id": actions["TERMS_PROPOSAL"]["id"], "note": "net 15"}},
        bearer=manager,
    )  # fmt: skip
    assert decided["data"]["decideWarningResponse"]["response"] == {
        "action": "TERMS_PROPOSAL", "status": "APPROVED", "decidedBy": "alice",
        "decisionNote": "net 15",
    }  # fmt: skip
    twice = await gql(
        client, DECIDE, {"input": {"id": actions["TERMS_PROPOSAL"]["id"]}}, bearer=manager
    )
    assert twice["data"]["decideWarningResponse"]["userErrors"] == [
        {"field": "id", "code": "ALREADY_DECIDED"}
    ]

    # when: another tenant gives feedback on this warning, or moves it
    other = token(settings, tenant="globex", roles=["credit_manager"])
    fb = await gql(
        client, FEEDBACK, {"input": {"id": node["id"], "feedback": "FALSE_ALARM"}}, bearer=other
    )
    mv = await gql(
        client, CHANGE, {"input": {"id": node["id"], "status": "DISMISSED"}}, bearer=other
    )
    # then: not found, and nothing changed
    assert fb["data"]["giveWarningFeedback"] == {
        "warning": None, "userErrors": [{"field": "id", "code": "NOT_FOUND"}],
    }  # fmt: skip
    assert mv["data"]["changeWarningStatus"]["userErrors"] == [{"field": "id", "code": "NOT_FOUND"}]
    assert database.query("SELECT status, feedback FROM warnings") == [("RESOLVED", "TRUE_ALARM")]
    assert database.query("SELECT action, count(*) FROM audit_log GROUP BY 1 ORDER BY 1") == [
        ("CHANGE_WARNING_STATUS", 2),
        ("DECIDE_WARNING_RESPONSE", 1),
    ]

    # and the owner may still change its mind about the alarm
    mine = await gql(
        client, FEEDBACK, {"input": {"id": node["id"], "feedback": "FALSE_ALARM"}}, bearer=manager
    )
    assert mine["data"]["giveWarningFeedback"] == {
        "warning": {"feedback": "FALSE_ALARM"}, "userErrors": [],
    }  # fmt: skip


async def test_rule_quality_against_the_bad_debt_case_library(
    client: httpx.AsyncClient, settings: Settings, database: Database, runtime, tenants
) -> None:
    # given: two customers written off, one the overdue rule warned of 40 days before
    tenant = tenants["acme"]
    warned = customer(database, tenant, "W")
    silent = customer(database, tenant, "S")
    invoice(database, tenant, warned, "I-1", AS_OF - timedelta(days=100))
    await run(runtime, tenant)
    database.query("UPDATE warnings SET raised_at = now() - interval '40 days'")
    for who in (warned, silent):
        database.query(
            "INSERT INTO bad_debt_cases (tenant_id, customer_id, proposal_id, currency, "
            "amount_minor, cause, created_by) VALUES (%s, %s, %s, 'CNY', 100, 'gone', 't')",
            tenant, who, uuid.uuid4(),
        )  # fmt: skip
    database.query("UPDATE warnings SET status = 'DISMISSED', feedback = 'FALSE_ALARM'")

    # when
    body = await gql(client, QUALITY, bearer=token(settings, roles=["credit_manager"]))

    # then
    by_rule = {q["rule"]: q for q in body["data"]["warningRuleQuality"]}
    overdue = by_rule["OVERDUE"]
    assert (overdue["fired"], overdue["confirmed"], overdue["falseAlarms"], overdue["caught"]) == (
        1, 0, 1, 1,
    )  # fmt: skip
    leads = {w["customerId"]: w["daysBefore"] for w in overdue["writeOffs"]}
    assert leads == {to_global_id("Customer", warned): 40, to_global_id("Customer", silent): None}
    assert by_rule["LEGAL_RECORD"]["fired"] == 0
