"""The audit trail as the API shows it: the domain verb, and the mutation name it replaced."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from domain import audit


@strawberry.enum(description="What an audited change did.")
class AuditAction(Enum):
    CREATE_CUSTOMER = strawberry.enum_value("CREATE_CUSTOMER", description="Created a customer.")
    UPDATE_CUSTOMER = strawberry.enum_value(
        "UPDATE_CUSTOMER", description="Changed a customer's master data."
    )
    ARCHIVE_CUSTOMER = strawberry.enum_value("ARCHIVE_CUSTOMER", description="Archived a customer.")
    SET_CREDIT_TERMS = strawberry.enum_value(
        "SET_CREDIT_TERMS", description="Set the rating class, agreed terms or interest rate."
    )
    REVIEW_CREDIT_FILE = strawberry.enum_value(
        "REVIEW_CREDIT_FILE", description="Recorded a review of the credit file."
    )
    ADD_CREDIT_FILE_ENTRY = strawberry.enum_value(
        "ADD_CREDIT_FILE_ENTRY", description="Filed a dated note or document in the dossier."
    )
    LINK_PARTNER = strawberry.enum_value("LINK_PARTNER", description="Linked a related party.")
    UNLINK_PARTNER = strawberry.enum_value("UNLINK_PARTNER", description="Removed a partner link.")
    ACKNOWLEDGE_WARNING = strawberry.enum_value(
        "ACKNOWLEDGE_WARNING", description="Acknowledged an early-warning signal."
    )
    UPDATE_RECEIVABLES_SETTINGS = strawberry.enum_value(
        "UPDATE_RECEIVABLES_SETTINGS", description="Changed the tenant's receivables settings."
    )
    SAVE_PAYMENT_TERMS = strawberry.enum_value(
        "SAVE_PAYMENT_TERMS", description="Saved a payment-terms template."
    )
    RECORD_FINANCIAL_STATEMENT = strawberry.enum_value(
        "RECORD_FINANCIAL_STATEMENT", description="Recorded a customer's financial statement."
    )
    CORRECT_FINANCIAL_STATEMENT = strawberry.enum_value(
        "CORRECT_FINANCIAL_STATEMENT", description="Corrected a financial statement."
    )
    RECORD_EXTERNAL_CREDIT_DATA = strawberry.enum_value(
        "RECORD_EXTERNAL_CREDIT_DATA",
        description="Recorded external credit data (bureau, court, news, visit, bank).",
    )
    REVISE_EXTERNAL_CREDIT_DATA = strawberry.enum_value(
        "REVISE_EXTERNAL_CREDIT_DATA",
        description="Revised an external credit record from its source.",
    )
    INSTALL_DEFAULT_SCORECARD = strawberry.enum_value(
        "INSTALL_DEFAULT_SCORECARD", description="Installed the practice's default scorecard."
    )
    CREATE_SCORECARD_DRAFT = strawberry.enum_value(
        "CREATE_SCORECARD_DRAFT", description="Created a draft scorecard version."
    )
    UPDATE_SCORECARD_DRAFT = strawberry.enum_value(
        "UPDATE_SCORECARD_DRAFT", description="Edited a draft scorecard version."
    )
    RETIRE_SCORECARD_VERSION = strawberry.enum_value(
        "RETIRE_SCORECARD_VERSION", description="Retired a scorecard version."
    )
    ACTIVATE_SCORECARD_VERSION = strawberry.enum_value(
        "ACTIVATE_SCORECARD_VERSION", description="Activated a scorecard version."
    )
    REQUEST_CLASS_OVERRIDE = strawberry.enum_value(
        "REQUEST_CLASS_OVERRIDE", description="Asked to override a customer's class."
    )
    DECIDE_CLASS_OVERRIDE = strawberry.enum_value(
        "DECIDE_CLASS_OVERRIDE", description="Approved or refused a class override."
    )
    CHANGE_CREDIT_CLASS = strawberry.enum_value(
        "CHANGE_CREDIT_CLASS",
        description="Changed a customer's rating class (score, override or review).",
    )
    REQUEST_CREDIT_LIMIT = strawberry.enum_value(
        "REQUEST_CREDIT_LIMIT", description="Asked for a credit limit."
    )
    APPROVE_CREDIT_LIMIT = strawberry.enum_value(
        "APPROVE_CREDIT_LIMIT", description="Gave an approval a credit limit needs."
    )
    REJECT_CREDIT_LIMIT = strawberry.enum_value(
        "REJECT_CREDIT_LIMIT", description="Refused a credit limit request."
    )
    CREATE_SALES_ORDER = strawberry.enum_value(
        "CREATE_SALES_ORDER", description="Registered an open sales order."
    )
    CHANGE_SALES_ORDER = strawberry.enum_value(
        "CHANGE_SALES_ORDER", description="Changed an open sales order."
    )
    SHIP_SALES_ORDER = strawberry.enum_value(
        "SHIP_SALES_ORDER", description="Recorded a sales order shipped."
    )
    CANCEL_SALES_ORDER = strawberry.enum_value(
        "CANCEL_SALES_ORDER", description="Cancelled a sales order."
    )
    SET_CREDIT_HOLD = strawberry.enum_value(
        "SET_CREDIT_HOLD", description="Put a customer on credit hold."
    )
    LIFT_CREDIT_HOLD = strawberry.enum_value(
        "LIFT_CREDIT_HOLD", description="Released a customer's credit hold."
    )
    UPDATE_CREDIT_POLICY = strawberry.enum_value(
        "UPDATE_CREDIT_POLICY", description="Changed the tenant's credit policy."
    )
    SET_EXCHANGE_RATE = strawberry.enum_value(
        "SET_EXCHANGE_RATE", description="Set an exchange rate."
    )
    UPDATE_WARNING_SETTINGS = strawberry.enum_value(
        "UPDATE_WARNING_SETTINGS",
        description="Changed the warning rules' thresholds, industries, responses or SLAs.",
    )
    CHANGE_WARNING_STATUS = strawberry.enum_value(
        "CHANGE_WARNING_STATUS",
        description="Moved a warning along its lifecycle (investigating, resolved, dismissed).",
    )
    DECIDE_WARNING_RESPONSE = strawberry.enum_value(
        "DECIDE_WARNING_RESPONSE",
        description="Approved or rejected a warning's proposed response, or closed its task.",
    )


#: The mutation that records each verb: what the deprecated `mutation` field still shows.
MUTATION_OF = {
    audit.AuditAction.CREATE_CUSTOMER: "createCustomer",
    audit.AuditAction.UPDATE_CUSTOMER: "updateCustomer",
    audit.AuditAction.ARCHIVE_CUSTOMER: "archiveCustomer",
    audit.AuditAction.SET_CREDIT_TERMS: "setCustomerCreditTerms",
    audit.AuditAction.REVIEW_CREDIT_FILE: "recordCreditReview",
    audit.AuditAction.ADD_CREDIT_FILE_ENTRY: "addCreditFileEntry",
    audit.AuditAction.LINK_PARTNER: "linkPartner",
    audit.AuditAction.UNLINK_PARTNER: "unlinkPartner",
    audit.AuditAction.ACKNOWLEDGE_WARNING: "acknowledgeWarning",
    audit.AuditAction.UPDATE_RECEIVABLES_SETTINGS: "updateReceivablesSettings",
    audit.AuditAction.SAVE_PAYMENT_TERMS: "savePaymentTerms",
    audit.AuditAction.RECORD_FINANCIAL_STATEMENT: "recordFinancialStatement",
    audit.AuditAction.CORRECT_FINANCIAL_STATEMENT: "correctFinancialStatement",
    audit.AuditAction.RECORD_EXTERNAL_CREDIT_DATA: "recordExternalCreditData",
    audit.AuditAction.REVISE_EXTERNAL_CREDIT_DATA: "reviseExternalCreditData",
    audit.AuditAction.INSTALL_DEFAULT_SCORECARD: "installDefaultScorecard",
    audit.AuditAction.CREATE_SCORECARD_DRAFT: "createScorecardDraft",
    audit.AuditAction.UPDATE_SCORECARD_DRAFT: "updateScorecardDraft",
    audit.AuditAction.RETIRE_SCORECARD_VERSION: "retireScorecardVersion",
    audit.AuditAction.ACTIVATE_SCORECARD_VERSION: "activateScorecardVersion",
    audit.AuditAction.REQUEST_CLASS_OVERRIDE: "requestClassOverride",
    audit.AuditAction.DECIDE_CLASS_OVERRIDE: "decideClassOverride",
    audit.AuditAction.CHANGE_CREDIT_CLASS: "changeCreditClass",
    audit.AuditAction.REQUEST_CREDIT_LIMIT: "requestCreditLimit",
    audit.AuditAction.APPROVE_CREDIT_LIMIT: "approveCreditLimit",
    audit.AuditAction.REJECT_CREDIT_LIMIT: "rejectCreditLimit",
    audit.AuditAction.CREATE_SALES_ORDER: "registerSalesOrder",
    audit.AuditAction.CHANGE_SALES_ORDER: "changeSalesOrder",
    audit.AuditAction.SHIP_SALES_ORDER: "shipSalesOrder",
    audit.AuditAction.CANCEL_SALES_ORDER: "cancelSalesOrder",
    audit.AuditAction.SET_CREDIT_HOLD: "setCreditHold",
    audit.AuditAction.LIFT_CREDIT_HOLD: "liftCreditHold",
    audit.AuditAction.UPDATE_CREDIT_POLICY: "updateCreditPolicy",
    audit.AuditAction.SET_EXCHANGE_RATE: "setExchangeRate",
    audit.AuditAction.UPDATE_WARNING_SETTINGS: "updateWarningRule",
    audit.AuditAction.CHANGE_WARNING_STATUS: "changeWarningStatus",
    audit.AuditAction.DECIDE_WARNING_RESPONSE: "decideWarningResponse",
}


@strawberry.type(description="One audited change: who, when, what was done, before and after.")
class AuditEntry:
    at: datetime = strawberry.field(description="When the change committed.")
    actor: str = strawberry.field(description="Token subject who made it.")
    action: AuditAction = strawberry.field(description="What was done.")
    entity_type: str = strawberry.field(description="Kind of object changed.")
    request_id: str | None = strawberry.field(description="Request id, to match the logs.")
    changes: JSON = strawberry.field(description="Changed fields: {field: {before, after}}.")

    @strawberry.field(
        description="The mutation that made it.",
        deprecation_reason="Use `action`: mutation names may change, actions do not.",
    )
    def mutation(self) -> str:
        return MUTATION_OF[audit.AuditAction(self.action.value)]

    @classmethod
    def of(cls, record: Any) -> AuditEntry:
        """From an audit record of the customer services."""
        return cls(
            at=record.at,
            actor=record.actor,
            action=AuditAction(record.action),
            entity_type=record.entity_type,
            request_id=record.request_id,
            changes=record.changes,
        )
