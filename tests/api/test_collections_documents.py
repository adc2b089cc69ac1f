"""Collections and statement documents through the API: letters issued, archived and served as
sent; drafts; the evidence chain export; statements."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.csv_safety import FORMULA_STARTS
from services.collections.evidence import COLUMNS, evidence_row
from tests import smtp_server as servers
from tests.conftest import gql, token
from tests.documents.pdf_tools import ink, pdf_text, render_page
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, PAYMENT, invoice_input

SEAL = Path(__file__).parents[1] / "documents" / "fixtures" / "seal.png"
PROFILE = """mutation P($input: UpdateTenantProfileInput!) { updateTenantProfile(input: $input) {
  profile { version } userErrors { field code } } }"""
ACTIVITY = """mutation A($input: RecordActivityInput!) { recordActivity(input: $input) {
  id userErrors { field code } } }"""
SEND = """mutation S($input: SendDunningLetterInput!) { sendDunningLetter(input: $input) {
  letter { number kind asOf deadline
    documents { id lang sha256 size filename url mediaType }
    deliveries { channel recipientAddress status } }
  userErrors { field code } } }"""
RUN = """mutation R($input: RunStatementsInput!) { runStatements(input: $input) {
  job { status } userErrors { code } } }"""
smtp_server = servers.smtp_server  # the fixture, by the name the test asks for
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()  #: the tenant's today, as letters date it


async def overdue_customer(client, settings, code: str = "DUN-1") -> str:
    """A customer with one invoice of 1,000.00, due 20 days ago (interest 10.00 to today)."""
    customer = (await create(client, token(settings), code))["customer"]["id"]
    created = await gql(
        client,
        INVOICE,
        {
            "input": {
                **invoice_input(customer, f"{code}-OVD", "1000.00"),
                "issueDate": (TODAY - timedelta(days=50)).isoformat(),
                "dueDate": (TODAY - timedelta(days=20)).isoformat(),
                "orderRef": "PO-31",
            }
        },
        token(settings, roles=["finance"]),
    )
    assert created["data"]["createInvoice"]["userErrors"] == []
    return str(customer)


async def profile_with_law_firm(client, settings) -> None:
    """The seller's particulars, bank account, seal and law firm."""
    saved = await gql(
        client,
        PROFILE,
        {
            "input": {
                "version": 0,
                "legalName": "上海演示贸易有限公司",
                "address": "上海市浦东新区世纪大道100号",
                "phone": "+86 21 5555 0100",
                "bankAccounts": [
                    {
                        "bank": "中国工商银行",
                        "accountName": "上海演示贸易有限公司",
                        "accountNumber": "1001 2345 6789 0123",
                        "currency": "CNY",
                        "branch": "浦东支行",
                    }
                ],
                "sealBase64": base64.b64encode(SEAL.read_bytes()).decode(),
                "lawFirm": "上海明理律师事务所",
                "lawyer": "刘明",
            }
        },
        token(settings, roles=["admin"]),
    )
    assert saved["data"]["updateTenantProfile"]["userErrors"] == []


async def test_a_letter_is_issued_archived_and_served_as_sent(client, settings, database):
    # given
    await profile_with_law_firm(client, settings)
    customer = await overdue_customer(client, settings)
    collector = token(settings, roles=["collector"], sub="carl")
    headers = {"Authorization": f"Bearer {collector}"}
    letter_url = f"/documents/customers/{customer}/dunning-letter.pdf"
    params = {"kind": "LAWYER", "lang": "zh-CN"}
    # when the collector looks at the draft first
    draft = await client.get(
        f"/documents/customers/{customer}/dunning-letter-draft.pdf", params=params, headers=headers
    )
    # then it is the lawyer's letter with 20 days of interest (1000 * 0.0005 * 20 = 10.00),
    # marked as a draft, and no letter of that kind has been sent yet
    assert draft.status_code == 200 and draft.headers["cache-control"] == "no-store"
    text = pdf_text(draft.content)
    assert "律师函" in text and "DUN-1-OVD" in text and "¥10.00" in text and "（草稿）" in text
    assert (
        "上海明理律师事务所" in text
        and f"DUN-1-{TODAY.isoformat()}" in draft.headers["content-disposition"]
    )
    assert (await client.get(letter_url, params=params, headers=headers)).status_code == 404
    # when it is sent by courier
    sent = await gql(
        client,
        SEND,
        {"input": {"customerId": customer, "kind": "LAWYER", "channel": "COURIER"}},
        collector,
    )
    # then it is numbered, archived and recorded as handed over
    payload = sent["data"]["sendDunningLetter"]
    assert payload["userErrors"] == []
    letter = payload["letter"]
    assert letter["number"] == f"LL-{TODAY.year}-0001" and letter["kind"] == "LAWYER"
    assert letter["deadline"] == (TODAY + timedelta(days=5)).isoformat()
    [document] = letter["documents"]
    assert (document["lang"], document["mediaType"]) == ("zh-CN", "application/pdf")
    assert letter["deliveries"] == [
        {"channel": "COURIER", "recipientAddress": "上海测试贸易有限公司", "status": "SENT"}
    ]
    served = await client.get(letter_url, params=params, headers=headers)
    assert hashlib.sha256(served.content).hexdigest() == document["sha256"]
    assert "LL-" in pdf_text(served.content) and ink(render_page(served.content)) > 0.01
    # when the ledger changes (400.00 paid), the letter served is still the one sent
    paid = await gql(
        client,
        PAYMENT,
        {
            "input": {
                "customerId": customer,
                "receivedOn": TODAY.isoformat(),
                "amount": {"amount": "400.00", "currency": "CNY"},
                "idempotencyKey": "pay-400",
            }
        },
        token(settings, roles=["finance"]),
    )
    assert paid["data"]["createPayment"]["userErrors"] == []
    again = await client.get(letter_url, params=params, headers=headers)
    by_id = await client.get(document["url"], headers=headers)
    assert again.content == served.content == by_id.content
    assert by_id.headers["x-content-sha256"] == document["sha256"]
    redrafted = await client.get(
        f"/documents/customers/{customer}/dunning-letter-draft.pdf", params=params, headers=headers
    )
    assert "¥600.00" in pdf_text(redrafted.content)  # a new rendering would show new figures
    assert "¥600.00" not in pdf_text(again.content)
    # and the evidence chain links the archived copy
    export = await client.get(f"/documents/customers/{customer}/activities.csv", headers=headers)
    [row] = list(csv.DictReader(io.StringIO(export.text)))
    assert (row["kind"], row["outcome"], row["channel"]) == ("DUNNING_LETTER", "SENT", "COURIER")
    assert (row["document"], row["document_sha256"]) == (document["url"], document["sha256"])
    assert row["recorded_by"] == "carl" and row["occurred_at"].endswith("+08:00")
    assert export.headers["cache-control"] == "no-store"
    # another tenant sees none of it
    other = {"Authorization": f"Bearer {token(settings, 'globex', roles=['collector'])}"}
    assert (await client.get(document["url"], headers=other)).status_code == 404
    assert (await client.get(letter_url, params=params, headers=other)).status_code == 404


async def test_refusals_are_user_errors_and_write_nothing(client, settings, database):
    # given a customer owing money, and no mail server, and no law firm
    customer = await overdue_customer(client, settings, "DUN-2")
    collector = token(settings, roles=["collector"])
    cases = [
        ({"kind": "REMINDER", "channel": "EMAIL"}, ("channel", "NO_CHANNEL")),
        ({"kind": "LAWYER", "channel": "POST"}, ("kind", "LAW_FIRM_REQUIRED")),
        (
            {"kind": "REMINDER", "channel": "POST", "asOf": "2026-01-01"},
            ("customerId", "NOTHING_OVERDUE"),
        ),
        (
            {"kind": "DEMAND", "channel": "HAND", "deadline": TODAY.isoformat()},
            ("deadline", "INVALID_DATE"),
        ),
        (
            {
                "kind": "REMINDER",
                "channel": "POST",
                "asOf": (TODAY + timedelta(days=9)).isoformat(),
            },
            ("asOf", "FUTURE_DATE"),
        ),
    ]
    for extra, expected in cases:
        # when
        body = await gql(client, SEND, {"input": {"customerId": customer, **extra}}, collector)
        # then
        errors = body["data"]["sendDunningLetter"]["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [expected], extra
    for table in ("sent_documents", "document_deliveries", "document_numbers", "activities"):
        assert database.query(f"SELECT count(*) FROM {table}") == [(0,)], table
    viewer = await gql(
        client,
        SEND,
        {"input": {"customerId": customer, "kind": "REMINDER", "channel": "POST"}},
        token(settings, roles=["viewer"]),
    )
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_evidence_export_never_hands_a_spreadsheet_a_formula(client, settings):
    # given activities whose user-typed cells start like formulas
    bearer = token(settings, roles=["collector"], sub="-cmd")
    customer = (await create(client, token(settings), "CSV-1"))["customer"]["id"]
    for start in FORMULA_STARTS:
        body = await gql(
            client,
            ACTIVITY,
            {
                "input": {
                    "customerId": customer,
                    "kind": "NOTE",
                    "occurredAt": "2026-11-20T09:30:00+08:00",
                    "outcome": f'{start}HYPERLINK("http://evil.example/x","click")',
                    "notes": f"{start}1+1",
                    "documentRef": f"{start}SUM(A1:A9)",
                }
            },
            bearer,
        )
        assert body["data"]["recordActivity"]["userErrors"] == []
    # when exported
    export = await client.get(
        f"/documents/customers/{customer}/activities.csv",
        headers={"Authorization": f"Bearer {bearer}"},
    )
    # then no cell starts a formula, and each keeps its text behind an apostrophe
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0] == list(COLUMNS) and len(rows) == 1 + len(FORMULA_STARTS)
    for row in rows[1:]:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
        assert row[3].startswith("'") and row[4].startswith("'") and row[5].startswith("'")
        assert row[6] == "'-cmd"


def test_every_exported_column_is_neutralised() -> None:
    # given one activity whose every text column starts with each dangerous character in turn
    zone = ZoneInfo("Asia/Shanghai")
    at = datetime(2026, 11, 20, 1, 30, tzinfo=ZoneInfo("UTC"))
    for start in FORMULA_STARTS:
        row = SimpleNamespace(
            occurred_at=at,
            kind=f"{start}kind",
            outcome=f"{start}outcome",
            notes=f"{start}notes",
            document_ref=f"{start}ref",
            created_by=f"{start}who",
            created_at=at,
            document_id="d",
            sha256=f"{start}sha",
            channel=f"{start}channel",
            recipient_address=f"{start}to",
            message_id=f"{start}<id@x>",
        )
        # when
        cells = evidence_row(f"{start}code", row, zone, lambda _id, s=start: f"{s}link")
        # then every column, the platform's own included, is exported as text
        assert len(cells) == len(COLUMNS)
        times = {1, 7}  # ISO times on the tenant's clock never start a formula
        for i, cell in enumerate(cells):
            if i in times:
                assert cell == "2026-11-20T09:30:00+08:00"
            else:
                assert cell.startswith("'" + start), (COLUMNS[i], cell)


async def test_statement_run_and_download(client, settings, runtime, tenants, database):
    from services.statements import monthly as statements
    from services.uow import Actor, UnitOfWork

    manager = token(settings)
    customer = (await create(client, manager, "STM-1"))["customer"]["id"]
    await gql(
        client,
        INVOICE,
        {"input": {**invoice_input(customer, "OCT", "250.00"), "issueDate": "2026-10-10"}},
        token(settings, roles=["finance"]),
    )
    queued = await gql(
        client, RUN, {"input": {"period": "2026-10-31"}}, token(settings, roles=["finance"])
    )
    assert queued["data"]["runStatements"]["job"]["status"] == "PENDING"
    async with UnitOfWork(runtime.engine, tenants["acme"], Actor("job")) as uow:
        await statements.generate(uow, date(2026, 10, 1))
        await uow.commit()
    listed = await gql(
        client, "query { statements { id period closing { amount } status } }", bearer=manager
    )
    statement = listed["data"]["statements"][0]
    assert statement["closing"]["amount"] == "250.00"
    pdf = await client.get(
        f"/documents/statements/{statement['id']}.pdf",
        params={"lang": "en"},
        headers={"Authorization": f"Bearer {manager}"},
    )
    assert pdf.status_code == 200 and "Statement of account" in pdf_text(pdf.content)
    assert 'filename="statement-STM-1-2026-10-31-en.pdf"' in pdf.headers["content-disposition"]
    # rendered on demand (no worker ran the render job) and kept by the route's commit
    assert database.query("SELECT lang FROM statement_documents") == [("en",)]
    other = await client.get(
        f"/documents/statements/{statement['id']}.pdf",
        headers={"Authorization": f"Bearer {token(settings, 'globex')}"},
    )
    assert other.status_code == 404


SEND_STATEMENT = """mutation S($input: SendStatementInput!) { sendStatement(input: $input) {
  documents { lang sha256 } deliveries { recipientAddress status } userErrors { field code } } }"""
SMTP = """mutation U($input: UpdateSmtpSettingsInput!) { updateSmtpSettings(input: $input) {
  userErrors { field code } } }"""


async def test_a_sent_statement_is_served_as_sent(
    client, settings, runtime, tenants, database, smtp_server
):
    from jobs.actors import WORK
    from jobs.runner import run_job
    from services.jobs.catalogue import DELIVER_DOCUMENT
    from services.statements import monthly as statements
    from services.uow import Actor, UnitOfWork

    # given a mail server, and October's statement for a customer whose contact reads Chinese
    finance = token(settings, roles=["finance"])
    admin = token(settings, roles=["admin"])
    configured = await gql(
        client,
        SMTP,
        {
            "input": {
                "version": 0,
                "host": smtp_server.host,
                "port": smtp_server.port,
                "security": "NONE",
                "fromAddress": "ar@acme.example",
            }
        },
        admin,
    )
    assert configured["data"]["updateSmtpSettings"]["userErrors"] == []
    customer = (await create(client, token(settings), "STM-2"))["customer"]["id"]
    await gql(
        client,
        INVOICE,
        {"input": {**invoice_input(customer, "OCT-2", "250.00"), "issueDate": "2026-10-10"}},
        finance,
    )
    async with UnitOfWork(runtime.engine, tenants["acme"], Actor("job")) as uow:
        await statements.generate(uow, date(2026, 10, 1))
        await uow.commit()
    statement = (await gql(client, "query { statements { id } }", bearer=finance))["data"][
        "statements"
    ][0]["id"]
    # when it is e-mailed and the server accepts it
    sent = await gql(client, SEND_STATEMENT, {"input": {"id": statement}}, finance)
    payload = sent["data"]["sendStatement"]
    assert payload["userErrors"] == [] and payload["deliveries"] == [
        {"recipientAddress": "lina@example.cn", "status": "PENDING"}
    ]
    deliver = next(w for w in WORK if w.spec is DELIVER_DOCUMENT)
    for (job_id,) in database.query("SELECT id FROM jobs WHERE actor = 'deliver_document'"):
        await run_job(runtime.engine, deliver, str(tenants["acme"]), str(job_id))
    # then the route serves the bytes sent, even after the seller renamed itself and the kept
    # PDF was rendered anew
    renamed = await gql(
        client, PROFILE, {"input": {"version": 0, "legalName": "改名后的贸易有限公司"}}, admin
    )
    assert renamed["data"]["updateTenantProfile"]["userErrors"] == []
    async with UnitOfWork(runtime.engine, tenants["acme"], Actor("job")) as uow:
        await statements.render(
            uow, UUID(str(database.query("SELECT id FROM statements")[0][0])), "zh-CN"
        )
        await uow.commit()
    served = await client.get(
        f"/documents/statements/{statement}.pdf",
        params={"lang": "zh-CN"},
        headers={"Authorization": f"Bearer {finance}"},
    )
    assert hashlib.sha256(served.content).hexdigest() == payload["documents"][0]["sha256"]
    assert served.content == smtp_server.handler.received[0].attachment()
    kept = bytes(database.query("SELECT pdf FROM statement_documents WHERE lang = 'zh-CN'")[0][0])
    assert "改名后的贸易有限公司" in pdf_text(kept)  # a fresh rendering shows today's particulars
    assert "改名后的贸易有限公司" not in pdf_text(served.content)
    assert database.query("SELECT status FROM statements") == [("SENT",)]
