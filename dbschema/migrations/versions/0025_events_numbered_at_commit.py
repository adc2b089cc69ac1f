"""Events numbered at commit: a writer at order rate holds the tenant's event lock only while
its transaction commits.

An event's number is its tenant's next (migration 0024): the writer takes the tenant's lock
when it inserts the event and keeps it until its transaction ends, so numbers follow commit
order and a subscriber resuming after a number misses nothing. A credit check writes its
event in its last statement, but the COMMIT comes a round trip later, after the API process
has answered whatever else was waiting; at 200 checks a second the refused ones (which
publish) queued behind each other's locks for 16-115 ms on average (pg_stat_statements).

`events_pending` holds events whose number is given at commit: a deferred constraint trigger
moves each row into `events` during COMMIT, where the usual triggers number it (taking the
lock then), notify and fan it out to webhooks. The lock is held for the rest of the commit.
Ordering stays what it was: numbers are still given under the tenant's lock, in commit order.
Pending rows never outlive their transaction.

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

PUBLISH = """CREATE FUNCTION events_publish_pending() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      WITH moved AS (
        DELETE FROM events_pending WHERE tenant_id = NEW.tenant_id AND id = NEW.id
        RETURNING tenant_id, topic, payload, created_at)
      INSERT INTO events (tenant_id, seq, topic, payload, created_at)
      SELECT tenant_id, 0, topic, payload, created_at FROM moved;
      RETURN NULL;
    END $$"""


def upgrade() -> None:
    op.create_table(
        "events_pending",
        sa.Column(
            "tenant_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey(
                "tenants.id", ondelete="CASCADE", name=op.f("fk_events_pending_tenant_id_tenants")
            ),
            nullable=False,
        ),
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("payload", postgresql.JSONB, nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_events_pending")),
        sa.CheckConstraint(
            "length(topic) BETWEEN 1 AND 100", name=op.f("ck_events_pending_topic_length")
        ),
    )
    role = op.get_context().opts["app_role"]
    op.execute("ALTER TABLE events_pending ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE events_pending FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON events_pending USING "
        "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
    )
    op.execute(f"GRANT SELECT, INSERT, DELETE ON events_pending TO {role}")
    op.execute(PUBLISH)
    op.execute(
        "CREATE CONSTRAINT TRIGGER events_pending_publish AFTER INSERT ON events_pending "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION events_publish_pending()"
    )


def downgrade() -> None:
    op.drop_table("events_pending")
    op.execute("DROP FUNCTION events_publish_pending()")
