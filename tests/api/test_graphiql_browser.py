"""GraphiQL in a real headless browser, offline: the page renders from the platform's own
assets, and a query with a bearer token in the headers pane returns data."""

from __future__ import annotations

import json

import httpx

from infra.settings import Settings
from tests.api.browser import chromium_page
from tests.conftest import LiveServer, token

QUERY = "{ viewer { subject tenant roles } }"
EDITOR = "document.querySelector('{} .CodeMirror').CodeMirror"


async def test_graphiql_loads_offline_and_runs_a_query_with_a_bearer_token(
    live_server: LiveServer, settings: Settings
) -> None:
    # given: the page a browser gets at /graphql, whose assets all come from the platform
    async with httpx.AsyncClient() as http:
        html = (await http.get(live_server.url + "/graphql", headers={"Accept": "text/html"})).text
    assert 'src="/graphiql/assets/graphiql.min.js"' in html
    for outside in ("unpkg.com", "jsdelivr", 'src="http', 'href="http'):
        assert outside not in html
    async with chromium_page() as page:
        # when it loads in a headless browser with no internet
        await page.send("Page.navigate", url=live_server.url + "/graphql")
        await page.wait_for("!!document.querySelector('.graphiql-query-editor .CodeMirror')")
        # and a query is typed, with a bearer token in the headers pane, and run
        await page.evaluate(f"{EDITOR.format('.graphiql-query-editor')}.setValue({QUERY!r})")
        await page.evaluate(
            "(() => { const tab = [...document.querySelectorAll('button')]"
            ".find(b => b.textContent.trim() === 'Headers');"
            " if (!tab.classList.contains('active')) tab.click(); })()"
        )
        headers = json.dumps({"Authorization": f"Bearer {token(settings)}"})
        shown = (
            "[...document.querySelectorAll('.graphiql-editor-tool .graphiql-editor')]"
            ".find(e => !e.classList.contains('hidden'))"
        )
        await page.wait_for(f"!!{shown}")
        editor = f"{shown}.querySelector('.CodeMirror').CodeMirror"
        await page.evaluate(f"{editor}.setValue({headers!r})")
        await page.evaluate("document.querySelector('.graphiql-execute-button').click()")
        text = await page.wait_for(
            f"(() => {{ const v = {EDITOR.format('.graphiql-response')}.getValue();"
            " return v.includes('viewer') ? v : ''; })()"
        )
    # then the answer is data for the token's subject, and nothing failed to load
    answer = json.loads(text)
    assert answer.get("data"), text
    assert answer["data"]["viewer"] == {
        "subject": "alice",
        "tenant": "acme",
        "roles": ["credit_manager"],
    }
    assert page.failed_loads == []
    assert page.exceptions == []
