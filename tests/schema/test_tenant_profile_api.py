"""The tenant profile: what documents print, set by administrators, refused whole when wrong."""

from __future__ import annotations

import base64

import httpx

from infra.settings import Settings
from tests.conftest import Database, gql, token

UPDATE = """mutation U($input: UpdateTenantProfileInput!) { updateTenantProfile(input: $input) {
  profile { legalName address bankAccounts { bank accountName accountNumber currency branch }
            logoDataUrl sealDataUrl lawFirm lawyer timeZone version }
  userErrors { field code message } } }"""
READ = "{ tenantProfile { legalName timeZone version bankAccounts { accountNumber } } }"
#: The smallest valid PNG (1x1 transparent pixel).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
ACCOUNT = {
    "bank": "中国工商银行",
    "accountName": "上海艾克米贸易有限公司",
    "accountNumber": "1001 2345 6789 0123 456",
    "currency": "cny",
    "branch": "上海浦东支行",
}


async def test_an_administrator_sets_the_profile_everyone_reads_it(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = token(settings, roles=["admin"])
    # before anything is saved: the defaults
    empty = (await gql(client, READ, bearer=token(settings, roles=["viewer"])))["data"]
    assert empty["tenantProfile"] == {
        "legalName": None,
        "timeZone": "Asia/Shanghai",
        "version": 0,
        "bankAccounts": [],
    }
    body = await gql(
        client,
        UPDATE,
        {
            "input": {
                "version": 0,
                "legalName": "上海艾克米贸易有限公司",
                "address": "上海市浦东新区世纪大道100号",
                "bankAccounts": [ACCOUNT],
                "logoBase64": base64.b64encode(PNG).decode(),
                "sealBase64": base64.b64encode(PNG).decode(),
                "lawFirm": "上海某某律师事务所",
                "lawyer": "王律师",
            }
        },
        bearer=admin,
    )
    saved = body["data"]["updateTenantProfile"]
    assert saved["userErrors"] == []
    profile = saved["profile"]
    assert profile["version"] == 1
    assert profile["bankAccounts"][0]["accountNumber"] == "1001 2345 6789 0123 456"
    assert profile["bankAccounts"][0]["currency"] == "CNY"
    assert profile["logoDataUrl"].startswith("data:image/png;base64,")
    # a second save with the old version is stale
    stale = await gql(client, UPDATE, {"input": {"version": 0, "lawyer": "李律师"}}, bearer=admin)
    assert stale["data"]["updateTenantProfile"]["userErrors"][0]["code"] == "STALE_VERSION"
    # and another tenant sees its own, empty profile
    other = await gql(client, READ, bearer=token(settings, "globex"))
    assert other["data"]["tenantProfile"]["legalName"] is None


async def test_bad_values_are_refused_together_and_nothing_is_written(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    admin = token(settings, roles=["admin"])
    body = await gql(
        client,
        UPDATE,
        {
            "input": {
                "version": 0,
                "legalName": "x" * 201,
                "bankAccounts": [
                    {**ACCOUNT, "accountNumber": "12"},
                    {**ACCOUNT, "currency": "XXY"},
                ],
                "logoBase64": base64.b64encode(b"GIF89a....").decode(),
                "timeZone": "Mars/Olympus",
                "phone": "call me",
            }
        },
        bearer=admin,
    )
    errors = {(e["field"], e["code"]) for e in body["data"]["updateTenantProfile"]["userErrors"]}
    assert errors == {
        ("legalName", "TOO_LONG"),
        ("bankAccounts.0.accountNumber", "INVALID_ACCOUNT"),
        ("logoBase64", "INVALID_IMAGE"),
        ("timeZone", "INVALID_TIME_ZONE"),
        ("phone", "INVALID_PHONE"),
    }
    assert database.query("SELECT count(*) FROM tenant_profiles") == [(0,)]
    # and only administrators may change it
    sales = await gql(
        client,
        UPDATE,
        {"input": {"version": 0, "lawyer": "x"}},
        bearer=token(settings, roles=["credit_manager"]),
    )
    assert sales["errors"][0]["extensions"]["code"] == "FORBIDDEN"
