"""A read given a malformed id answers INVALID_ID naming the argument that carried it, so a
client knows which of its arguments to fix (not `id` when it sent `customerId`)."""

from __future__ import annotations

import pytest

from domain.roles import ALL_ROLES
from tests.conftest import gql, token

READS = [
    ("query Q($id: ID!) { payments(customerId: $id) { __typename } }", "customerId"),
    ("query Q($id: ID!) { aging(customerId: $id) { __typename } }", "customerId"),
    ("query Q($id: ID!) { activities(customerId: $id) { __typename } }", "customerId"),
    ("query Q($id: ID!) { invoices(filter: {customerId: $id}) { __typename } }",
     "filter.customerId"),
    ("query Q($id: ID!) { warnings(filter: {customerId: $id}) { __typename } }",
     "filter.customerId"),
]  # fmt: skip


@pytest.mark.parametrize(("query", "field"), READS)
async def test_a_malformed_id_names_the_argument_that_carried_it(client, settings, query, field):
    # given
    bearer = token(settings, roles=sorted(ALL_ROLES))
    # when
    body = await gql(client, query, {"id": "not-an-id"}, bearer)
    # then
    assert body["errors"][0]["extensions"] == {"code": "INVALID_ID", "field": field}
