"""schemathesis fuzzes the GraphQL endpoint (authenticated): no case may be a server error."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import graphql as st_graphql
from schemathesis.checks import not_a_server_error
from schemathesis.graphql import nodes

from domain.roles import ALL_ROLES
from tests.conftest import token

#: Decimal amounts: mostly well-formed, sometimes garbage, to exercise both paths.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.text(max_size=12),
    ).map(nodes.String),
)
schemathesis.graphql.scalar(
    "Date",
    st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=10)).map(nodes.String),
)

SDL = Path(__file__).parents[2] / "schema" / "schema.graphql"
schema = st_graphql.from_path(SDL)
EXAMPLES_PER_OPERATION = 25  #: about 20 operations, so well over 300 generated cases in all
RUNS: list[int] = []  #: generated cases actually sent, checked by the last test


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case: schemathesis.Case, live_server, settings) -> None:
    bearer = token(settings, roles=sorted(ALL_ROLES))  # every operation is allowed
    response = case.call(
        base_url=live_server.url + "/graphql", headers={"Authorization": f"Bearer {bearer}"}
    )
    RUNS.append(1)
    assert response.status_code < 500, response.text
    body = response.json()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code != "INTERNAL_SERVER_ERROR", (case.body, body)
    # a generated invalid argument is a client error, which is expected; a server error is not
    case.validate_response(response, checks=[not_a_server_error])


def test_enough_cases_were_generated() -> None:
    """The fuzz run above must have sent at least 300 authenticated cases."""
    assert len(RUNS) >= 300, len(RUNS)
