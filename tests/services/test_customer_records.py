"""A customer record is made from a row by position: its fields are the table's columns."""

from __future__ import annotations

from dbschema.tables import customers
from services.customers.records import CustomerRecord


def test_a_customer_record_has_the_columns_of_the_customers_table_in_order() -> None:
    # a column added to the table must be added to the record too (at the same place)
    assert CustomerRecord._fields == tuple(customers.c.keys())
