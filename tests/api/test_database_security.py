"""Tenancy is enforced by PostgreSQL itself: RLS, a non-owner role, append-only ledgers."""

from __future__ import annotations

import psycopg
import pytest

from dbschema.provision import downgrade, migrate


def app_conn(database):
    """A raw connection as the application role."""
    return psycopg.connect(database.app_url, autocommit=False)


def test_app_role_is_not_privileged(database):
    rows = database.query(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'credit_app'"
    )
    assert rows == [(False, False)]
    owners = database.query("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
    assert ("credit_app",) not in owners
    forced = database.query(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND "
        "relnamespace = 'public'::regnamespace AND NOT relforcerowsecurity "
        "AND relname <> 'alembic_version'"
    )
    assert forced == []


def test_no_tenant_set_sees_nothing_and_cannot_write(database, tenants):
    database.query(
        "INSERT INTO customers (tenant_id, code, legal_name, country) VALUES (%s, 'C', 'C', 'SE')",
        tenants["acme"],
    )
    with app_conn(database) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM tenants").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO customers (tenant_id, code, legal_name, country) VALUES "
                "(%s, 'D', 'D', 'SE')",
                (tenants["acme"],),
            )


def test_one_tenant_cannot_read_or_write_anothers_rows(database, tenants):
    database.query(
        "INSERT INTO customers (tenant_id, code, legal_name, country) VALUES (%s, 'C', 'C', 'SE')",
        tenants["globex"],
    )
    with app_conn(database) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenants["acme"]),))
        assert conn.execute("SELECT count(*) FROM customers").fetchone() == (0,)
        assert conn.execute("UPDATE customers SET legal_name = 'x'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO customers (tenant_id, code, legal_name, country) VALUES "
                "(%s, 'E', 'E', 'SE')",
                (tenants["globex"],),
            )
    assert database.query("SELECT legal_name FROM customers") == [("C",)]


def test_audit_and_events_are_append_only_for_the_app(database, tenants):
    with app_conn(database) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenants["acme"]),))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE audit_log SET actor = 'x'")
    with app_conn(database) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenants["acme"]),))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM events")


def test_migrations_go_down_to_base_and_up_again(database):
    downgrade(database.owner_url, "credit_app", "base")
    assert database.query(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'alembic_version'"
    ) == [(0,)]
    migrate(database.owner_url, "credit_app")
    assert database.query("SELECT version_num FROM alembic_version") == [("0010",)]
