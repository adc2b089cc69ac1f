"""What an audited change did, as the business names it (not as an API spells it)."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """The verb of an audit-trail entry; stored as its value, so values never change."""

    CREATE_CUSTOMER = "CREATE_CUSTOMER"
    UPDATE_CUSTOMER = "UPDATE_CUSTOMER"
    ARCHIVE_CUSTOMER = "ARCHIVE_CUSTOMER"
    SET_CREDIT_TERMS = "SET_CREDIT_TERMS"
    REVIEW_CREDIT_FILE = "REVIEW_CREDIT_FILE"
    ADD_CREDIT_FILE_ENTRY = "ADD_CREDIT_FILE_ENTRY"
    LINK_PARTNER = "LINK_PARTNER"
    UNLINK_PARTNER = "UNLINK_PARTNER"
    ACKNOWLEDGE_WARNING = "ACKNOWLEDGE_WARNING"
    UPDATE_RECEIVABLES_SETTINGS = "UPDATE_RECEIVABLES_SETTINGS"
    SAVE_PAYMENT_TERMS = "SAVE_PAYMENT_TERMS"
