"""The mail server through the API: validated, version-checked, its password never readable."""

from __future__ import annotations

from tests.conftest import gql, token

UPDATE = """mutation U($input: UpdateSmtpSettingsInput!) { updateSmtpSettings(input: $input) {
  smtpSettings { host port security username passwordSet fromAddress fromName version }
  userErrors { field code } } }"""
READ = "query { smtpSettings { host passwordSet version } }"
REMOVE = """mutation R($input: RemoveSmtpSettingsInput!) { removeSmtpSettings(input: $input) {
  removed userErrors { field code } } }"""
FIELDS = """query { __type(name: "SmtpSettings") { fields { name } } }"""


def server(**extra: object) -> dict[str, object]:
    """A complete mail server."""
    return {
        "version": 0,
        "host": "smtp.exmail.qq.com",
        "security": "TLS",
        "username": "ar@acme.example",
        "password": "s3cret",
        "fromAddress": "ar@acme.example",
        "fromName": "Acme 应收",
        **extra,
    }


async def test_a_mail_server_without_host_is_a_clear_user_error(client, settings, database):
    admin = token(settings, roles=["admin"])
    # when
    no_host = await gql(client, UPDATE, {"input": server(host=None)}, admin)
    blank = await gql(client, UPDATE, {"input": server(host="  ", fromAddress=None)}, admin)
    clear_text = await gql(client, UPDATE, {"input": server(security="NONE")}, admin)
    # then
    assert no_host["data"]["updateSmtpSettings"] == {
        "smtpSettings": None,
        "userErrors": [{"field": "host", "code": "REQUIRED"}],
    }
    assert blank["data"]["updateSmtpSettings"]["userErrors"] == [
        {"field": "host", "code": "REQUIRED"},
        {"field": "fromAddress", "code": "REQUIRED"},
    ]
    assert clear_text["data"]["updateSmtpSettings"]["userErrors"] == [
        {"field": "security", "code": "INSECURE_LOGIN"}
    ]
    assert database.query("SELECT count(*) FROM smtp_settings") == [(0,)]


async def test_the_password_is_written_never_read(client, settings, database):
    admin = token(settings, roles=["admin"])
    # when saved, then changed without repeating the password
    first = await gql(client, UPDATE, {"input": server()}, admin)
    without_password = server(version=1, host="smtp.qiye.163.com")
    del without_password["password"]
    changed = await gql(client, UPDATE, {"input": without_password}, admin)
    stale = await gql(client, UPDATE, {"input": server(version=1)}, admin)
    # then the port defaults by security, the password stays stored and is never shown
    saved = first["data"]["updateSmtpSettings"]["smtpSettings"]
    assert (saved["port"], saved["security"], saved["passwordSet"]) == (465, "TLS", True)
    after = changed["data"]["updateSmtpSettings"]["smtpSettings"]
    assert (after["host"], after["passwordSet"], after["version"]) == (
        "smtp.qiye.163.com",
        True,
        2,
    )
    assert stale["data"]["updateSmtpSettings"]["userErrors"] == [
        {"field": "version", "code": "STALE_VERSION"}
    ]
    assert database.query("SELECT host, password FROM smtp_settings") == [
        ("smtp.qiye.163.com", "s3cret")
    ]
    names = {
        f["name"] for f in (await gql(client, FIELDS, None, admin))["data"]["__type"]["fields"]
    }
    assert "passwordSet" in names and not any("password" == n.lower() for n in names)
    # and only administrators see or change it; other tenants see nothing
    collector = await gql(client, READ, None, token(settings, roles=["collector"]))
    assert collector["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    other = await gql(client, READ, None, token(settings, "globex", roles=["admin"]))
    assert other["data"]["smtpSettings"] is None
    # when removed
    removed = await gql(client, REMOVE, {"input": {"version": 2}}, admin)
    assert removed["data"]["removeSmtpSettings"] == {"removed": True, "userErrors": []}
    assert database.query("SELECT count(*) FROM smtp_settings") == [(0,)]
