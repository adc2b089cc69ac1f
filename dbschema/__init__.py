"""PostgreSQL: tables, migrations, row-level security and query helpers (which never commit)."""
