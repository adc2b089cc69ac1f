"""Invoice balance updates in place: a payment's allocation moves `open_minor` without adding
an entry to every index of `invoices`.

PostgreSQL updates a row in place on its page (a HOT update: no index touched) only when no
indexed column changes and the page has room. `open_minor` was in two partial indexes (their
predicate `open_minor > 0`, and one carried it as an included column), so every part payment
added an entry to all eight indexes of a million-row table: most of a 5,000-payment import
(EXPLAIN: ~48,000 WAL records and ~25,000 full-page images for ~5,500 invoices).

- `is_open` (`open_minor > 0`, a stored generated column) is what the open-items index is
  partial on; it changes only when an invoice is settled or reopened.
- The two open-items indexes become one, `ix_invoices_open` (tenant, customer, currency, due
  date) WHERE is_open: the allocation plan reads a customer's invoices of one currency oldest
  due first straight from it, and exposure, guarantee calls and warning facts read by customer.
- The table keeps a tenth of each page free (fillfactor 90) so the new version of a row fits
  beside the old one; adding the generated column rewrites the table, which applies it to the
  rows already stored.

The outbox triggers, which ran three PL/pgSQL functions per event (a 5,000-payment import
writes 5,000 events: ~210 ms of its time), do per statement what can be done per statement:
- `events_notify` and `events_webhooks` run once per INSERT over its new rows (a transition
  table): one NOTIFY per tenant (listeners read the events after their cursor; the hub only
  ever used the tenant of a notification) and one INSERT of the webhook deliveries.
- `events_assign_seq` still numbers each row, but takes the tenant's lock and reads its
  highest number once per transaction: the number it gave last is kept in a transaction-local
  setting (undone with a rolled-back savepoint, like the rows it numbered), and while the
  transaction holds the tenant's lock nobody else can number that tenant's events. The
  lookup keeps off sequential scans in a function of its own (migration 0009's reason). (A
  function with a SET clause of its own would undo the setting when it returns; no function
  writes events, and the primary key (tenant, seq) would refuse a repeated number, never
  store it.)

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

FILLFACTOR = 90  #: percent of a page inserts fill; the rest is room for balance updates

LAST_SEQ = """CREATE FUNCTION events_last_seq(p_tenant uuid) RETURNS bigint
    LANGUAGE sql SET enable_seqscan = off AS
    $$ SELECT coalesce(max(seq), 0) FROM events WHERE tenant_id = p_tenant $$"""

ASSIGN_SEQ = """CREATE OR REPLACE FUNCTION events_assign_seq() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
      last text := current_setting('credit.events_last_seq', true);
      mine text := NEW.tenant_id::text || ':';
    BEGIN
      IF last LIKE mine || '%' THEN
        NEW.seq := substr(last, length(mine) + 1)::bigint + 1;
      ELSE
        -- one writer per tenant at a time, so sequence order is commit order
        PERFORM pg_advisory_xact_lock(hashtextextended(NEW.tenant_id::text, 4242));
        NEW.seq := events_last_seq(NEW.tenant_id) + 1;
      END IF;
      PERFORM set_config('credit.events_last_seq', mine || NEW.seq::text, true);
      RETURN NEW;
    END $$"""

NOTIFY = """CREATE OR REPLACE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('credit_events', tenant_id::text || ':' || max(seq)::text)
         FROM new_events GROUP BY tenant_id;
      RETURN NULL;
    END $$"""

WEBHOOKS = """CREATE OR REPLACE FUNCTION events_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE n integer;
    BEGIN
      INSERT INTO webhook_deliveries
             (tenant_id, endpoint_id, event_seq, topic, ordering_key, payload, event_at)
      SELECT v.tenant_id, e.id, v.seq, v.topic, coalesce(v.payload->>'customerId', ''),
             v.payload, v.created_at
        FROM new_events v
        JOIN webhook_endpoints e ON e.tenant_id = v.tenant_id AND e.status = 'ACTIVE'
       WHERE v.topic = ANY(e.event_types) OR '*' = ANY(e.event_types)
          OR split_part(v.topic, '.', 1) || '.*' = ANY(e.event_types)
       ORDER BY v.seq, e.id
      ON CONFLICT DO NOTHING;
      GET DIAGNOSTICS n = ROW_COUNT;
      IF n > 0 THEN
        PERFORM pg_notify('credit_webhooks', tenant_id::text) FROM new_events GROUP BY tenant_id;
      END IF;
      RETURN NULL;
    END $$"""

PER_STATEMENT = "AFTER INSERT ON events REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT"

#: The functions as migrations 0001, 0009 and 0012 left them, for the downgrade.
ASSIGN_SEQ_BEFORE = """CREATE OR REPLACE FUNCTION events_assign_seq() RETURNS trigger
    LANGUAGE plpgsql SET enable_seqscan = off AS $$
    BEGIN
      -- one writer per tenant at a time, so sequence order is commit order
      PERFORM pg_advisory_xact_lock(hashtextextended(NEW.tenant_id::text, 4242));
      SELECT coalesce(max(seq), 0) + 1 INTO NEW.seq FROM events
       WHERE tenant_id = NEW.tenant_id;
      RETURN NEW;
    END $$"""

NOTIFY_BEFORE = """CREATE OR REPLACE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('credit_events', NEW.tenant_id::text || ':' || NEW.seq::text);
      RETURN NULL;
    END $$"""

WEBHOOKS_BEFORE = """CREATE OR REPLACE FUNCTION events_webhooks() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE n integer;
    BEGIN
      INSERT INTO webhook_deliveries
             (tenant_id, endpoint_id, event_seq, topic, ordering_key, payload, event_at)
      SELECT NEW.tenant_id, e.id, NEW.seq, NEW.topic,
             coalesce(NEW.payload->>'customerId', ''), NEW.payload, NEW.created_at
        FROM webhook_endpoints e
       WHERE e.tenant_id = NEW.tenant_id AND e.status = 'ACTIVE'
         AND (NEW.topic = ANY(e.event_types) OR '*' = ANY(e.event_types)
              OR split_part(NEW.topic, '.', 1) || '.*' = ANY(e.event_types))
      ON CONFLICT DO NOTHING;
      GET DIAGNOSTICS n = ROW_COUNT;
      IF n > 0 THEN
        PERFORM pg_notify('credit_webhooks', NEW.tenant_id::text);
      END IF;
      RETURN NULL;
    END $$"""


def upgrade() -> None:
    op.drop_index("ix_invoices_open_due", table_name="invoices")
    op.drop_index("ix_invoices_open_exposure", table_name="invoices")
    op.execute(f"ALTER TABLE invoices SET (fillfactor = {FILLFACTOR})")
    # a stored generated column rewrites the table (and its indexes): fillfactor applies
    op.add_column(
        "invoices",
        sa.Column(
            "is_open",
            sa.Boolean(),
            sa.Computed("open_minor > 0", persisted=True),
            nullable=False,
        ),
    )
    op.create_index(
        "ix_invoices_open",
        "invoices",
        ["tenant_id", "customer_id", "currency", "due_date"],
        unique=False,
        postgresql_where=sa.text("is_open"),
    )
    op.execute(LAST_SEQ)
    op.execute(ASSIGN_SEQ)
    op.execute("ALTER FUNCTION events_assign_seq() RESET enable_seqscan")
    for name, function in (("events_notify", NOTIFY), ("events_webhooks", WEBHOOKS)):
        op.execute(f"DROP TRIGGER {name} ON events")
        op.execute(function)
        op.execute(f"CREATE TRIGGER {name} {PER_STATEMENT} EXECUTE FUNCTION {name}()")


def downgrade() -> None:
    for name, function in (("events_notify", NOTIFY_BEFORE), ("events_webhooks", WEBHOOKS_BEFORE)):
        op.execute(f"DROP TRIGGER {name} ON events")
        op.execute(function)
        op.execute(
            f"CREATE TRIGGER {name} AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
    op.execute(ASSIGN_SEQ_BEFORE)
    op.execute("DROP FUNCTION events_last_seq(uuid)")
    op.drop_index("ix_invoices_open", table_name="invoices", postgresql_where=sa.text("is_open"))
    op.drop_column("invoices", "is_open")
    op.execute("ALTER TABLE invoices RESET (fillfactor)")
    op.create_index(
        "ix_invoices_open_exposure",
        "invoices",
        ["tenant_id", "customer_id"],
        unique=False,
        postgresql_include=["currency", "open_minor", "due_date"],
        postgresql_where=sa.text("open_minor > 0"),
    )
    op.create_index(
        "ix_invoices_open_due",
        "invoices",
        ["tenant_id", "customer_id", "due_date"],
        unique=False,
        postgresql_where=sa.text("open_minor > 0"),
    )
