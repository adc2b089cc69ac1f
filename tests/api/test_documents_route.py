"""GET /documents/customers/{id}/credit-file.pdf: roles, tenants and a real rendered PDF."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.conftest import token
from tests.documents.pdf_tools import ink, pdf_text, render_page
from tests.schema.test_customers_api import create

PATH = "/documents/customers/{id}/credit-file.pdf"


async def test_report_in_both_languages(client, settings):
    # given
    bearer = token(settings, roles=["credit_analyst"])
    customer = (await create(client, bearer, "DOC-1"))["customer"]
    headers = {"Authorization": f"Bearer {bearer}"}
    # when
    zh = await client.get(PATH.format(id=customer["id"]), params={"lang": "zh-CN"}, headers=headers)
    en = await client.get(PATH.format(id=customer["id"]), params={"lang": "en"}, headers=headers)
    # then
    assert zh.status_code == 200 and zh.headers["content-type"] == "application/pdf"
    assert "客户信用档案" in pdf_text(zh.content)
    assert "上海测试贸易有限公司" in pdf_text(zh.content)
    assert ink(render_page(zh.content)) > 0.02
    assert "Credit file" in pdf_text(en.content)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()  # the tenant's day
    assert en.headers["content-disposition"] == (
        f'inline; filename="credit-file-DOC-1-{today}-en.pdf"'
    )


async def test_refusals(client, settings):
    manager = token(settings)
    customer = (await create(client, manager, "DOC-2"))["customer"]
    url = PATH.format(id=customer["id"])
    never = PATH.format(id="Q3VzdG9tZXI6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw")

    def auth(bearer: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {bearer}"}

    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=auth("garbage"))).status_code == 401
    viewer = await client.get(url, headers=auth(token(settings, roles=["viewer"])))
    assert viewer.status_code == 403
    assert viewer.json()["error"]["code"] == "FORBIDDEN"
    other_tenant = await client.get(url, headers=auth(token(settings, "globex")))
    missing = await client.get(never, headers=auth(token(settings, "globex")))
    assert other_tenant.status_code == missing.status_code == 404
    assert other_tenant.json() == missing.json()
    bad_lang = await client.get(url, params={"lang": "fr"}, headers=auth(manager))
    assert bad_lang.status_code == 400


async def test_an_id_no_api_hands_out_is_not_found_on_every_document_route(client, settings):
    # given: a token that may read every document, and an id that is no global id at all
    bearer = token(settings, roles=["credit_manager", "finance", "collector"])
    headers = {"Authorization": f"Bearer {bearer}"}
    # when each document route is asked for it
    answers = [
        await client.get(url, params={"lang": "en"}, headers=headers)
        for url in (
            PATH.format(id="nonsense"),
            "/documents/customers/nonsense/dunning-letter.pdf",
            "/documents/customers/nonsense/activities.csv",
            "/documents/statements/nonsense.pdf",
            "/documents/sent/nonsense",
            "/documents/risk/nonsense.pdf",
            "/documents/credit-agreements/nonsense.pdf",
        )
    ]
    statement = await client.post(
        "/imports/factoring/nonsense/statement.csv?date=2026-05-31",
        content=b"invoice,kind,date,amount\n",
        headers={**headers, "Content-Type": "text/csv"},
    )
    # then each is refused as not found (an import as bad input), never a server error
    assert [a.status_code for a in answers] == [404] * len(answers), [a.text for a in answers]
    assert statement.status_code == 400 and statement.json()["error"]["code"] == "BAD_USER_INPUT"
