"""CSV imports as Chinese users export them: GBK/GB18030 bytes from Excel, semicolon and tab
separators, multipart uploads, and the true reason when a header cannot be read."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import token
from tests.schema.test_customers_api import create

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
