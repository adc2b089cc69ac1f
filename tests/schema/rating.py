"""Give a test customer a class the way a tenant must: asked by one credit manager and, when
it is an upgrade, approved by a second one."""

from __future__ import annotations

from typing import Any

from tests.conftest import gql, token

SET_TERMS = """mutation S($input: SetCustomerCreditTermsInput!) {
  setCustomerCreditTerms(input: $input) {
    customer { version ratingClass } classOverride { id status }
    userErrors { field code message } } }"""
APPROVE = """mutation A($input: DecideClassOverrideInput!) { decideClassOverride(input: $input) {
  override { status } userErrors { field code message } } }"""


async def rate(client: Any, settings: Any, customer: str, version: int, rating: str) -> None:
    """Set the class, approving the upgrade as a second credit manager; fails on any refusal."""
    asked = await gql(
        client,
        SET_TERMS,
        {"input": {"id": customer, "version": version, "ratingClass": rating, "reason": "test"}},
        token(settings, sub="alice"),
    )
    payload = asked["data"]["setCustomerCreditTerms"]
    assert payload["userErrors"] == [], payload
    pending = payload["classOverride"]
    if pending is not None:
        done = await gql(
            client,
            APPROVE,
            {"input": {"id": pending["id"], "approve": True}},
            token(settings, sub="bob"),
        )
        decided = done["data"]["decideClassOverride"]
        assert decided["userErrors"] == [] and decided["override"]["status"] == "APPLIED", decided
