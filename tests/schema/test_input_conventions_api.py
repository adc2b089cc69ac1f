"""Inputs as users write them: country codes from ISO 3166-1 (ZZ refused with a code), currency
codes in any case (stored upper case), the USCC check described where clients read it."""

from __future__ import annotations

from infra.settings import Settings
from schema.build import build_schema
from tests.conftest import gql, token
from tests.schema.test_customers_api import CREATE, create, new_customer
from tests.schema.test_kpis_api import KPIS
from tests.schema.test_ledger_api import INVOICE, invoice_input


async def test_a_user_assigned_country_is_refused_and_any_case_is_taken(client, settings, database):
    # given
    bearer = token(settings)
    # when a customer is created in ZZ, one in "cn"
    zz = await gql(client, CREATE, {"input": new_customer("Z-1", country="ZZ")}, bearer)
    cn = await create(client, bearer, "C-1", country="cn")
    # then ZZ is INVALID_COUNTRY, cn is CN (and its USCC is checked as Chinese)
    refused = zz["data"]["createCustomer"]["userErrors"]
    assert [(e["field"], e["code"]) for e in refused] == [("country", "INVALID_COUNTRY")]
    assert cn["userErrors"] == []
    assert database.query("SELECT code, country FROM customers") == [("C-1", "CN")]


async def test_currency_codes_are_taken_in_any_case_and_stored_upper(client, settings, database):
    # given a customer
    customer = (await create(client, token(settings), "CUR-1"))["customer"]["id"]
    finance = token(settings, roles=["finance"], sub="fiona")
    # when an invoice is posted in "cny" and the KPIs are asked for "cny"
    given = invoice_input(customer, amount="100.00")
    given["amount"]["currency"] = "cny"
    posted = await gql(client, INVOICE, {"input": given}, finance)
    kpis = await gql(
        client, KPIS, {"from": "2026-10-01", "to": "2026-10-31", "currency": "cny"}, finance
    )
    # then both read it as CNY
    invoice = posted["data"]["createInvoice"]
    assert invoice["userErrors"] == []
    assert invoice["invoice"]["amount"] == {"amount": "100.00", "currency": "CNY"}
    assert [k["currency"] for k in kpis["data"]["receivablesKpis"]] == ["CNY"]
    assert database.query("SELECT currency FROM invoices") == [("CNY",)]


def test_the_uscc_field_says_how_its_check_character_is_computed():
    # given the schema as served
    schema = build_schema(Settings())._schema
    # when the registration number's input description is read
    field = schema.type_map["CreateCustomerInput"].fields["registrationNumber"]  # type: ignore[union-attr]
    # then it states the alphabet, the weights and the check
    for said in ("GB 32100-2015", "0-9 A-H J-N P-R T-U W-Y", "3^i mod 31", "31 - (sum"):
        assert said in field.description, said
