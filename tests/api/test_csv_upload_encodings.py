"""CSV imports as Chinese users export them: GBK/GB18030 bytes from Excel, semicolon and tab
separators, multipart uploads, and the true reason when a header cannot be read."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from schema.relay import to_global_id
from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_risk_factoring_api import AGREEMENT, ASSIGN, ON, agreement_input
from tests.services.risk_fixtures import customer as risk_customer
from tests.services.risk_fixtures import invoice as risk_invoice
from tests.services.risk_fixtures import uow_for

INVOICES_GBK = (
    "external_id,number,customer_code,issue_date,amount,currency,order_ref\r\n"
    "gbk-1,发票-001,IMP-1,2026-09-01,1200.00,CNY,订单甲\r\n"
    "gbk-2,发票-002,IMP-1,2026-09-05,300.00,CNY,订单乙\r\n"
).encode("gbk")
PAYMENTS_GBK = (
    "external_id;customer_code;received_on;amount;currency;reference\r\n"
    "bank-1;IMP-1;2026-10-01;1000.00;CNY;工商银行回单 7\r\n"
).encode("gbk")


@pytest.fixture
async def finance(client: Any, settings: Any) -> str:
    """A finance token, with customer IMP-1 created."""
    await create(client, token(settings), "IMP-1")
    return token(settings, roles=["finance"], sub="fiona")


async def upload(client: Any, bearer: str, kind: str, body: bytes, multipart: bool = False) -> Any:
    """POST the file as the raw body (text/csv) or as the `file` field of a form."""
    headers = {"Authorization": f"Bearer {bearer}"}
    if multipart:
        files = {"file": (f"{kind}.csv", body, "text/csv")}
        return await client.post(f"/imports/{kind}.csv", files=files, headers=headers)
    headers["Content-Type"] = "text/csv"
    return await client.post(f"/imports/{kind}.csv", content=body, headers=headers)


async def test_gbk_invoices_and_semicolon_gbk_payments_post(client, finance, database):
    # given an invoice file and a semicolon-separated payment file, both in GBK as Excel saves
    assert b"\xb7\xa2\xc6\xb1" in INVOICES_GBK  # "发票" in GBK, not UTF-8
    # when both are uploaded, the payments as a multipart form
    invoices = await upload(client, finance, "invoices", INVOICES_GBK)
    payments = await upload(client, finance, "payments", PAYMENTS_GBK, multipart=True)
    # then the Chinese text is stored as written and the payment allocates oldest first
    assert invoices.status_code == 200, invoices.text
    assert (invoices.json()["created"], invoices.json()["failed"]) == (2, 0)
    assert payments.status_code == 200, payments.text
    assert payments.json()["created"] == 1
    assert database.query("SELECT number, order_ref, open_minor FROM invoices ORDER BY 1") == [
        ("发票-001", "订单甲", 20000),
        ("发票-002", "订单乙", 30000),
    ]
    assert database.query("SELECT reference FROM payments") == [("工商银行回单 7",)]


@pytest.mark.parametrize(
    "body",
    [
        "\ufeffexternal_id,number,customer_code,issue_date,amount,currency\n"
        "t-1,N-1,IMP-1,2026-09-01,1.00,CNY\n".encode(),
        b"external_id\tnumber\tcustomer_code\tissue_date\tamount\tcurrency\n"
        b"t-1\tN-1\tIMP-1\t2026-09-01\t1.00\tCNY\n",
        "external_id\tnumber\tcustomer_code\tissue_date\tamount\tcurrency\n"
        "t-1\t票-1\tIMP-1\t2026-09-01\t1.00\tCNY\n".encode("utf-16"),
    ],
    ids=["utf8-bom", "tab", "utf16-excel-unicode-text"],
)
async def test_other_exports_post(client, finance, database, body):
    response = await upload(client, finance, "invoices", body, multipart=True)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1
    assert database.query("SELECT amount_minor FROM invoices") == [(100,)]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (  # pipes: the header is one column, not "missing columns"
            b"external_id|number|customer_code|issue_date|amount|currency\n"
            b"x|1|IMP-1|2026-09-01|1|CNY\n",
            "separate the columns with commas, semicolons or tabs",
        ),
        (  # Big5 (not GBK): read as GB18030 the header is gibberish
            "單號,客戶,日期\n1,2,3\n".encode("big5"),
            "read as GBK/GB18030, its first line names no known column",
        ),
        (b"x1,N-1,IMP-1\nx2,N-2,IMP-1\n", "the first line is not a header"),
        (b"external_id,number\nx,1\n", "missing columns: customer_code"),
        (b"external_id\x80\xff,number\n", "neither UTF-8"),
    ],
    ids=["pipes", "big5", "no-header", "missing", "bytes"],
)
async def test_an_unreadable_header_says_why(client, finance, database, body, reason):
    response = await upload(client, finance, "invoices", body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "MALFORMED_CSV"
    assert reason in response.json()["error"]["message"]
    assert database.query("SELECT count(*) FROM invoices") == [(0,)]


async def test_a_form_without_a_file_is_refused(client, finance, database):
    response = await client.post(
        "/imports/invoices.csv",
        headers={
            "Authorization": f"Bearer {finance}",
            "Content-Type": "multipart/form-data; boundary=x",
        },
        content=b'--x\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--x--\r\n',
    )
    assert response.status_code == 400
    assert "has no file" in response.json()["error"]["message"]
    assert database.query("SELECT count(*) FROM invoices") == [(0,)]


#: A statement as Chinese accounting software exports it: captions for columns, 万元, GBK.
STATEMENT_LINES = (
    ("货币资金", "120"), ("应收账款", "300"), ("存货", "180"), ("流动资产合计", "650"),
    ("资产总计", "1000"), ("流动负债合计", "400"), ("负债合计", "550"), ("所有者权益合计", "450"),
    ("营业收入", "2400"), ("净利润", "82.5"),
)  # fmt: skip
STATEMENT_GBK = (
    "客户编码,期间开始,期间结束,报表类型,报表来源,币种,单位,"
    + ",".join(caption for caption, _ in STATEMENT_LINES)
    + "\r\nFS-GBK,2025-01-01,2025-12-31,ANNUAL,AUDITED,CNY,万元,"
    + ",".join(value for _, value in STATEMENT_LINES)
    + "\r\n"
).encode("gbk")
STATEMENT_SEMICOLONS = (
    b"customer_code;period_start;period_end;kind;source;currency;unit;total_assets;"
    b"total_liabilities;equity\n"
    b"FS-GBK;2024-01-01;2024-12-31;ANNUAL;MANAGEMENT;CNY;YUAN;1000;600;400\n"
)


async def post_file(client: Any, bearer: str, url: str, body: bytes, multipart: bool) -> Any:
    """POST a file to an import route, as the body or as the `file` field of a form."""
    headers = {"Authorization": f"Bearer {bearer}"}
    if multipart:
        return await client.post(url, files={"file": ("x.csv", body, "text/csv")}, headers=headers)
    return await client.post(url, content=body, headers={**headers, "Content-Type": "text/csv"})


async def test_financial_statements_in_gbk_with_chinese_captions_and_semicolons(
    client, settings, database
):
    # given: a customer, a GBK export headed by the statement's Chinese captions (in 万元),
    # and a semicolon-separated UTF-8 file
    analyst = token(settings, roles=["credit_analyst"])
    await create(client, analyst, "FS-GBK")
    url = "/imports/financial-statements.csv"
    assert "资产总计".encode("gbk") in STATEMENT_GBK
    # when the first is sent as the body, the second as a multipart form
    gbk = await post_file(client, analyst, url, STATEMENT_GBK, multipart=False)
    semicolons = await post_file(client, analyst, url, STATEMENT_SEMICOLONS, multipart=True)
    # then both are saved, the captions read as their lines and 万元 as ten thousands
    assert gbk.status_code == 200, gbk.text
    assert (gbk.json()["created"], gbk.json()["failed"]) == (1, 0)
    assert semicolons.status_code == 200, semicolons.text
    assert (semicolons.json()["created"], semicolons.json()["failed"]) == (1, 0)
    assert database.query(
        "SELECT period_end, unit, total_assets_minor, net_profit_minor FROM financial_statements "
        "ORDER BY period_end"
    ) == [
        (date(2024, 12, 31), "YUAN", 100_000, None),
        (date(2025, 12, 31), "TEN_THOUSAND", 1_000_000_000, 82_500_000),
    ]


async def test_an_unreadable_statement_file_says_why_and_writes_nothing(client, settings, database):
    analyst = token(settings, roles=["credit_analyst"])
    url = "/imports/financial-statements.csv"
    big5 = "單號,客戶,日期\n1,2,3\n".encode("big5")
    answer = await post_file(client, analyst, url, big5, multipart=False)
    assert answer.status_code == 400
    assert (
        "read as GBK/GB18030, its first line names no known column"
        in answer.json()["error"]["message"]
    )
    assert database.query("SELECT count(*) FROM financial_statements") == [(0,)]


@pytest.fixture
async def factored(client: Any, settings: Any, runtime: Any, tenants: Any) -> dict[str, str]:
    """A disclosed agreement with invoice 发票-甲 (10,000.00 CNY) assigned to the factor."""
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await risk_customer(uow, "FAC-GBK", "A")
        made = await risk_invoice(uow, c, "发票-甲", ON, ON + timedelta(days=30), "10000.00")
        await uow.commit()
    bearer = token(settings, roles=["finance"], sub="fiona")
    agreement = (await gql(client, AGREEMENT, {"input": agreement_input()}, bearer))["data"][
        "createFactoringAgreement"
    ]["agreement"]["id"]
    assign = {"agreementId": agreement, "invoiceIds": [to_global_id("Invoice", made)],
              "assignedOn": ON.isoformat(), "idempotencyKey": "gbk"}  # fmt: skip
    assert (await gql(client, ASSIGN, {"input": assign}, bearer))["data"]["assignInvoices"][
        "userErrors"
    ] == []
    return {
        "bearer": bearer,
        "url": f"/imports/factoring/{agreement}/statement.csv?date=2026-05-31",
    }


async def test_a_factor_statement_in_gbk_semicolons_and_multipart(client, factored, database):
    # given: the factor's statement as a Chinese export (GBK, Chinese captions and invoice
    # number) and the same lines semicolon-separated
    gbk = (
        "发票号码,类型,日期,金额\r\n"
        "发票-甲,ASSIGNMENT,2026-05-01,10000.00\r\n"
        "发票-甲,ADVANCE,2026-05-01,8000.00\r\n"
        "发票-甲,RESERVE,2026-05-01,2000.00\r\n"
        "发票-甲,COMMISSION,2026-05-01,55.00\r\n"
    ).encode("gbk")
    semicolons = gbk.decode("gbk").replace(",", ";").encode()
    # when the first is sent as the body and the second as a multipart form
    body = await post_file(client, factored["bearer"], factored["url"], gbk, multipart=False)
    form = await post_file(client, factored["bearer"], factored["url"], semicolons, True)
    # then both are read alike: the commission differs, under the Chinese invoice number
    expected = [{"invoiceNumber": "发票-甲", "kind": "COMMISSION", "currency": "CNY",
                 "ours": "50.00", "theirs": "55.00", "status": "AMOUNT_DIFFERS"}]  # fmt: skip
    assert body.status_code == 200, body.text
    assert body.json()["differences"] == expected
    assert form.status_code == 200, form.text
    assert form.json()["differences"] == expected
    assert database.query("SELECT count(*), sum(line_count) FROM factor_statements") == [(2, 8)]
