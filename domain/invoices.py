"""Where an invoice stands, from its balances: the one rule the API and every filter share."""

from __future__ import annotations

from enum import StrEnum


class InvoiceStatus(StrEnum):
    """Open while anything is owed; once nothing is, written off if a write-off closed it."""

    OPEN = "OPEN"
    PAID = "PAID"
    WRITTEN_OFF = "WRITTEN_OFF"


def invoice_status(open_minor: int, written_off_minor: int) -> InvoiceStatus:
    """OPEN while something is owed (even after a partial write-off), else WRITTEN_OFF when a
    write-off took part in settling it, else PAID."""
    if open_minor > 0:
        return InvoiceStatus.OPEN
    if written_off_minor > 0:
        return InvoiceStatus.WRITTEN_OFF
    return InvoiceStatus.PAID


def balances_on(
    open_now_minor: int,
    written_off_now_minor: int,
    allocated_after_minor: int,
    written_off_after_minor: int,
) -> tuple[int, int]:
    """An invoice's open and written-off amounts at the end of a day, from today's balances
    and the entries dated after that day (they had not happened yet): open = amount minus the
    entries effective on or before the day. The rule aging and receivablesKpis apply set-wise."""
    return (
        open_now_minor + allocated_after_minor,
        written_off_now_minor - written_off_after_minor,
    )
