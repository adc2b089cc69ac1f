"""What a credit check reads, in one statement: policy, customer, hold, limits, the group
and its limits, and open items summed per customer and currency, with the exchange rates among them
(and whose order the checked reference is, when it is registered already, and whether another
customer holds it live).

Every sum walks a partial index over open items only (open invoices, open orders, active
reservations, each with its amounts included), so the cost follows a customer's open items,
not its history. Reservations count while `expires_at > now()`: expiry needs no sweep.
Each per-customer read is a LATERAL probe fenced with OFFSET 0, so it stays an index probe
per group member even while a table is small enough to tempt the planner into a scan.
The standard limit read is the one `domain.credit.limits.in_force` picks: the newest valid
on the date (LEAST ignores a NULL end), else the one that ended last.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_limit_tables import exchange_rates
from dbschema.engine import driver_of, fetchrow_native, native_sql, notify_statement
from dbschema.tables import events

_LIMIT_FIELDS = """jsonb_build_array(l.id, l.seq, l.scope, l.kind, l.amount_minor, l.currency,
       l.valid_from, l.valid_to, l.customer_id)"""

FACTS_SQL = sa.text(f"""
WITH RECURSIVE pol AS (
    SELECT version, overrides FROM credit_policies WHERE tenant_id = :tenant
     ORDER BY version DESC LIMIT 1
), kinds AS (
    SELECT CASE WHEN (SELECT overrides ? 'groupRelationKinds' FROM pol)
                THEN ARRAY(SELECT jsonb_array_elements_text(overrides -> 'groupRelationKinds')
                             FROM pol)
                ELSE CAST(:default_kinds AS text[]) END AS kinds
), members(id) AS (
    SELECT CAST(:customer AS uuid)
    UNION
    SELECT n.id FROM members m CROSS JOIN LATERAL (
        SELECT r.related_customer_id AS id FROM customer_relations r
         WHERE r.tenant_id = :tenant AND r.customer_id = m.id
           AND r.kind = ANY (CAST((SELECT kinds FROM kinds) AS text[]))
        UNION ALL
        SELECT r.customer_id FROM customer_relations r
         WHERE r.tenant_id = :tenant AND r.related_customer_id = m.id
           AND r.kind = ANY (CAST((SELECT kinds FROM kinds) AS text[]))) n
), own AS (
    (SELECT * FROM credit_limits
      WHERE tenant_id = :tenant AND customer_id = :customer AND scope = 'CUSTOMER'
        AND kind = 'STANDARD' AND valid_from <= :as_of
      ORDER BY least(valid_to, :as_of) DESC, seq DESC LIMIT 1)
    UNION ALL
    SELECT * FROM credit_limits
     WHERE tenant_id = :tenant AND customer_id = :customer AND scope = 'CUSTOMER'
       AND kind = 'TEMPORARY' AND valid_from <= :as_of AND valid_to >= :as_of
), grp AS (
    SELECT g.* FROM members m CROSS JOIN LATERAL (
        (SELECT * FROM credit_limits
          WHERE tenant_id = :tenant AND customer_id = m.id AND scope = 'GROUP'
            AND kind = 'STANDARD' AND valid_from <= :as_of
          ORDER BY least(valid_to, :as_of) DESC, seq DESC LIMIT 1)
        UNION ALL
        SELECT * FROM credit_limits
         WHERE tenant_id = :tenant AND customer_id = m.id AND scope = 'GROUP'
           AND kind = 'TEMPORARY' AND valid_from <= :as_of AND valid_to >= :as_of) g
), scope AS (
    SELECT id FROM members WHERE EXISTS (SELECT 1 FROM grp)
    UNION SELECT CAST(:customer AS uuid)
), recv AS (
    SELECT s.id AS customer_id, i.currency, sum(i.open_minor) AS open,
           coalesce(sum(i.open_minor) FILTER (WHERE i.due_date < :as_of), 0) AS overdue,
           coalesce(max(:as_of - i.due_date) FILTER (WHERE i.due_date < :as_of), 0) AS days
      FROM scope s CROSS JOIN LATERAL (
           SELECT currency, open_minor, due_date FROM invoices
            WHERE tenant_id = :tenant AND customer_id = s.id AND is_open OFFSET 0) i
     GROUP BY s.id, i.currency
), ord AS (
    SELECT s.id AS customer_id, o.currency, sum(o.amount_minor - o.invoiced_minor) AS open
      FROM scope s CROSS JOIN LATERAL (
           SELECT currency, amount_minor, invoiced_minor FROM sales_orders
            WHERE tenant_id = :tenant AND customer_id = s.id AND status IN ('OPEN', 'SHIPPED')
              AND order_ref IS DISTINCT FROM CAST(:exclude_ref AS text) OFFSET 0) o
     GROUP BY s.id, o.currency
), res AS (
    SELECT s.id AS customer_id, r.currency, sum(r.amount_minor) AS open
      FROM scope s CROSS JOIN LATERAL (
           SELECT currency, amount_minor FROM credit_reservations
            WHERE tenant_id = :tenant AND customer_id = s.id AND status = 'ACTIVE'
              AND expires_at > now()
              AND (order_ref IS DISTINCT FROM CAST(:exclude_ref AS text)
                   OR s.id <> CAST(:customer AS uuid)) OFFSET 0) r
     GROUP BY s.id, r.currency
), cur AS (
    SELECT CAST(:currency AS text) AS c WHERE CAST(:currency AS text) IS NOT NULL
    UNION SELECT CAST(:base_currency AS text)
    UNION SELECT overrides ->> 'baseCurrency' FROM pol
    UNION SELECT currency FROM own UNION SELECT currency FROM grp
    UNION SELECT currency FROM recv UNION SELECT currency FROM ord
    UNION SELECT currency FROM res
), fx AS (
    SELECT DISTINCT ON (x.base, x.quote) x.id, x.seq, x.base, x.quote, x.rate, x.effective_on
      FROM exchange_rates x
     WHERE x.tenant_id = :tenant AND x.effective_on <= :as_of
       AND x.base = ANY (ARRAY(SELECT c FROM cur)) AND x.quote = ANY (ARRAY(SELECT c FROM cur))
     ORDER BY x.base, x.quote, x.effective_on DESC, x.seq DESC
)
SELECT jsonb_build_object(
    'policy', (SELECT jsonb_build_array(version, overrides) FROM pol),
    'customer', (SELECT jsonb_build_array(c.status, c.rating_class) FROM customers c
                  WHERE c.tenant_id = :tenant AND c.id = :customer),
    'hold', (SELECT jsonb_build_array(h.held, h.reason) FROM credit_holds h
              WHERE h.tenant_id = :tenant AND h.customer_id = :customer
              ORDER BY h.seq DESC LIMIT 1),
    'limits', (SELECT jsonb_agg({_LIMIT_FIELDS}) FROM own l),
    'groupLimits', (SELECT jsonb_agg({_LIMIT_FIELDS}) FROM grp l),
    'members', (SELECT jsonb_agg(id ORDER BY id) FROM scope),
    'receivables', (SELECT jsonb_agg(jsonb_build_array(customer_id, currency, open, overdue, days))
                      FROM recv),
    'orders', (SELECT jsonb_agg(jsonb_build_array(customer_id, currency, open)) FROM ord),
    'reservations', (SELECT jsonb_agg(jsonb_build_array(customer_id, currency, open)) FROM res),
    'now', now(),
    'rateCurrencies', (SELECT jsonb_agg(c) FROM cur WHERE c IS NOT NULL),
    'rates', (SELECT jsonb_agg(jsonb_build_array(id, seq, base, quote, CAST(rate AS text),
                                                 effective_on) ORDER BY base, quote) FROM fx),
    'checkBasis', (SELECT b.check_basis FROM risk_security_settings b
                    WHERE b.tenant_id = :tenant),
    'orderCustomer', (SELECT o.customer_id FROM sales_orders o
                       WHERE o.tenant_id = :tenant
                         AND o.order_ref = CAST(:exclude_ref AS text)),
    'refHeldByAnother', EXISTS (SELECT 1 FROM credit_reservations r
                         WHERE r.tenant_id = :tenant
                           AND r.order_ref = CAST(:exclude_ref AS text)
                           AND r.status = 'ACTIVE' AND r.expires_at > now()
                           AND r.customer_id <> CAST(:customer AS uuid)),
    'commit', CASE WHEN CAST(:commit_mode AS text) IS NOT NULL
                   THEN set_config('synchronous_commit', :commit_mode, true) END
)
""")

_FACTS_NATIVE = native_sql(str(FACTS_SQL))


async def credit_facts(
    conn: AsyncConnection,
    tenant_id: UUID,
    customer_id: UUID,
    as_of: date,
    exclude_ref: str | None,
    default_kinds: Sequence[str],
    commit_mode: str | None = None,
    currency: str | None = None,
    base_currency: str = "CNY",
) -> dict[str, Any]:
    """The raw facts of one customer (and its group when a group limit covers it); with a
    commit mode (on/off), the transaction's synchronous_commit is set in the same trip. The
    newest rates on `as_of` among every currency the facts, `currency` and the policy's base
    currency (or `base_currency`, its default) name ride along, so a check converts without
    a round trip of its own."""
    values = {
        "tenant": tenant_id,
        "customer": customer_id,
        "as_of": as_of,
        "exclude_ref": exclude_ref,
        "default_kinds": list(default_kinds),
        "commit_mode": commit_mode,
        "currency": currency,
        "base_currency": base_currency,
    }
    statement, names = _FACTS_NATIVE
    row = await fetchrow_native(conn, statement, *(values[n] for n in names))
    raw = row[0] if row is not None else None
    return orjson.loads(raw) if isinstance(raw, str) else dict(raw or {})


async def latest_rates(
    conn: AsyncConnection, currencies: Sequence[str], as_of: date
) -> list[sa.Row[Any]]:
    """The newest rate of every pair among the currencies, effective by `as_of`."""
    t = exchange_rates
    query = (
        sa.select(t.c.id, t.c.seq, t.c.base, t.c.quote, t.c.rate, t.c.effective_on)
        .where(
            t.c.base.in_(list(currencies)),
            t.c.quote.in_(list(currencies)),
            t.c.effective_on <= as_of,
        )
        .distinct(t.c.base, t.c.quote)
        .order_by(t.c.base, t.c.quote, t.c.effective_on.desc(), t.c.seq.desc())
    )
    return list(await conn.execute(query))


#: Two lock namespaces, so a check's locks can never form a cycle: a customer's credit lock
#: (`<tenant>:credit:<customer>`: checks, order registration and changes; one per transaction,
#: taken first) and a group limit's (`<tenant>:credit-group:<anchor>`: reserving checks of a
#: group's members, taken after the customer's, in sorted order). An anchor's group lock is not
#: its customer lock: were it, a check on one anchor would hold its own lock and wait for the
#: other anchor's while a check on the other did the reverse.
LOCK_SQL = sa.text(
    "SELECT count(pg_advisory_xact_lock(hashtextextended(CAST(:tenant AS text) || ':credit:' "
    "|| k, 0))) FROM unnest(CAST(:keys AS text[])) AS k"
)
GROUP_LOCK_SQL = sa.text(
    "SELECT count(pg_advisory_xact_lock(hashtextextended(CAST(:tenant AS text) "
    "|| ':credit-group:' || k, 0))) FROM unnest(CAST(:keys AS text[])) AS k"
)
#: The hot statements as the driver takes them (they run on every credit check).
_LOCK_NATIVE = native_sql(str(LOCK_SQL))
_GROUP_LOCK_NATIVE = native_sql(str(GROUP_LOCK_SQL))
assert _LOCK_NATIVE[1] == ("tenant", "keys") == _GROUP_LOCK_NATIVE[1]


def begin_check_inline(tenant_id: UUID, keys: Sequence[UUID], durable: bool) -> str:
    """The transaction's commit mode and the customer credit locks of `keys` (sorted) as one
    statement with its values inline (UUIDs and a constant only), so it can ride with a BEGIN.
    The lock keys are LOCK_SQL's: `<tenant>:credit:<key>`."""
    tenant = UUID(str(tenant_id))
    locks = ", ".join(
        f"pg_advisory_xact_lock(hashtextextended('{tenant}:credit:{k}', 0))"
        for k in sorted({str(UUID(str(k))) for k in keys})
    )
    mode = "on" if durable else "off"
    return f"SELECT set_config('synchronous_commit', '{mode}', true)" + (
        f", {locks}" if locks else ""
    )


async def begin_check(
    conn: AsyncConnection, tenant_id: UUID, keys: Sequence[UUID], durable: bool
) -> None:
    """Set the transaction's commit mode and take the customer credit locks of `keys`
    (sorted): the statement a unit of work can also send with its BEGIN (begin_check_inline)."""
    statement = begin_check_inline(tenant_id, keys, durable)
    notify_statement(statement)
    await driver_of(conn).execute(statement)


async def lock_credit(conn: AsyncConnection, tenant_id: UUID, keys: Sequence[UUID]) -> None:
    """Serialise exposure changes of these customers until commit (their customer locks).

    A transaction takes one customer's lock, before any group lock (lock_groups), so no path
    waits for a customer lock while it holds a group's. Advisory locks, not row locks: they do
    not conflict with the key-share locks invoices take on customers.
    """
    ordered = sorted({str(k) for k in keys})
    if ordered:
        await fetchrow_native(conn, _LOCK_NATIVE[0], str(tenant_id), ordered)


async def lock_groups(conn: AsyncConnection, tenant_id: UUID, anchors: Sequence[UUID]) -> None:
    """Serialise reservations against these group limits until commit (one lock per anchor,
    in a namespace of its own, in sorted order), after the customer's lock: two checks in
    one group may wait for each other but never deadlock."""
    ordered = sorted({str(UUID(str(a))) for a in anchors})
    if ordered:
        await fetchrow_native(conn, _GROUP_LOCK_NATIVE[0], str(tenant_id), ordered)


def event_insert(tenant_id: UUID, topic: str, payload: dict[str, Any]) -> Any:
    """An outbox event as dbschema.queries.events.record_event writes it (the trigger numbers
    it per tenant and notifies at commit), as a statement another write can ride with."""
    return events.insert().values(tenant_id=tenant_id, seq=0, topic=topic, payload=payload)
