"""Invoice status: open while owed, then written off or paid."""

from __future__ import annotations

from domain.invoices import InvoiceStatus, invoice_status


def test_status_follows_the_balances():
    assert invoice_status(100, 0) is InvoiceStatus.OPEN
    assert invoice_status(100, 50) is InvoiceStatus.OPEN  # partly written off, still owed
    assert invoice_status(0, 50) is InvoiceStatus.WRITTEN_OFF
    assert invoice_status(0, 0) is InvoiceStatus.PAID
