"""Customers listed by name come in pinyin order (GB 18030 bytes: this PostgreSQL has no ICU),
page after page, both ways; the SQL key matches its pure twin on generated names."""

from __future__ import annotations

import random

from domain.names import name_sort_key
from tests.conftest import gql, token
from tests.schema.test_customers_api import LIST, create

NAMES = ["重庆钢铁有限公司", "张家港贸易", "阿克苏果业", "北京建材", "上海测试", "Acme Ltd"]


async def test_customers_by_name_come_in_pinyin_order_across_pages(client, settings):
    # given six customers created in no particular order
    bearer = token(settings)
    for n, name in enumerate(NAMES):
        await create(client, bearer, f"P-{n}", legalName=name)
    expected = ["Acme Ltd", "阿克苏果业", "北京建材", "上海测试", "张家港贸易", "重庆钢铁有限公司"]
    # when they are listed by name three at a time, and backwards
    order = {"field": "NAME"}
    first = (await gql(client, LIST, {"first": 3, "orderBy": order}, bearer))["data"]["customers"]
    after = first["pageInfo"]["endCursor"]
    second = (await gql(client, LIST, {"first": 3, "after": after, "orderBy": order}, bearer))[
        "data"
    ]["customers"]
    back = {"field": "NAME", "direction": "DESC"}
    desc = (await gql(client, LIST, {"first": 6, "orderBy": back}, bearer))["data"]["customers"]
    # then
    names = [e["node"]["legalName"] for e in first["edges"] + second["edges"]]
    assert names == expected == sorted(NAMES, key=name_sort_key)
    assert second["pageInfo"]["hasNextPage"] is False
    assert [e["node"]["legalName"] for e in desc["edges"]] == expected[::-1]


def test_the_sql_sort_key_matches_its_pure_twin(database):
    # given names drawn from common hanzi, rarer ones and Latin letters
    rng = random.Random(20261201)
    pool = [chr(c) for c in range(0x4E00, 0x9FA5, 7)] + list("AaZz019 -")
    names = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 6))) for _ in range(400)]
    # when PostgreSQL orders them by customer_name_key
    rows = database.query(
        "SELECT n FROM unnest(%s::text[]) n ORDER BY customer_name_key(n), n", names
    )
    # then the order is the twin's
    assert [n for (n,) in rows] == sorted(names, key=lambda n: (name_sort_key(n), n))
