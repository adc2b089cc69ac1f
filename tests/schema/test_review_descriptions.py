"""Descriptions a credit manager reads to act: they name the right way out and the right
default (from the review of the risk-security and limit screens)."""

from __future__ import annotations

from graphql import GraphQLEnumType

from infra.settings import Settings
from schema.build import build_schema


def test_stale_points_an_applications_request_to_refiling() -> None:
    # given the built schema
    schema = build_schema(Settings())._schema
    status = schema.type_map["CreditLimitRequestStatus"]
    assert isinstance(status, GraphQLEnumType)
    # when the STALE value is read
    text = status.values["STALE"].description or ""
    # then rejecting is not the advice for an application's request (it would lose the grant)
    assert "refileCreditApplicationLimit" in text
    assert "request again" in text


def test_the_portfolio_waterfalls_currency_defaults_to_the_base() -> None:
    # given the built schema's two waterfalls
    query = build_schema(Settings())._schema.query_type
    assert query is not None
    portfolio = query.fields["portfolioRiskWaterfall"].args["currency"].description or ""
    customer = query.fields["riskWaterfall"].args["currency"].description or ""
    # then each names its own default
    assert "tenant's base currency" in portfolio and "customer" not in portfolio
    assert "the customer's limit currency" in customer
