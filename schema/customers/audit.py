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
    CREATE_INSURANCE_POLICY = strawberry.enum_value(
        "CREATE_INSURANCE_POLICY", description="Recorded a credit-insurance policy."
    )
    DECIDE_BUYER_COVER = strawberry.enum_value(
        "DECIDE_BUYER_COVER",
        description="Requested, granted, reduced, cancelled or refused a cover.",
    )
    FILE_INSURANCE_CLAIM = strawberry.enum_value(
        "FILE_INSURANCE_CLAIM", description="Filed a claim with the insurer."
    )
    SETTLE_INSURANCE_CLAIM = strawberry.enum_value(
        "SETTLE_INSURANCE_CLAIM", description="Recorded the insurer's payment or rejection."
    )
    CREATE_FACTORING_AGREEMENT = strawberry.enum_value(
        "CREATE_FACTORING_AGREEMENT", description="Recorded a factoring agreement."
    )
    SET_FACTORING_DEBTOR_LIMIT = strawberry.enum_value(
        "SET_FACTORING_DEBTOR_LIMIT", description="Set a factor's limit on a debtor."
    )
    BUY_BACK_INVOICE = strawberry.enum_value(
        "BUY_BACK_INVOICE", description="Took a factored invoice back under recourse."
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
    CREATE_GUARANTOR = strawberry.enum_value(
        "CREATE_GUARANTOR", description="Recorded a guarantor."
    )
    CREATE_GUARANTEE = strawberry.enum_value(
        "CREATE_GUARANTEE", description="Recorded a guarantee for a customer's debts."
    )
    CALL_GUARANTEE = strawberry.enum_value(
        "CALL_GUARANTEE", description="Called a guarantee with a demand letter."
    )
    RELEASE_GUARANTEE = strawberry.enum_value(
        "RELEASE_GUARANTEE", description="Released a guarantee."
    )
    RECORD_GUARANTOR_PAYMENT = strawberry.enum_value(
        "RECORD_GUARANTOR_PAYMENT", description="Recorded a payment by a guarantor."
    )
    CREATE_COLLATERAL = strawberry.enum_value(
        "CREATE_COLLATERAL", description="Recorded a pledge or mortgage."
    )
    REAPPRAISE_COLLATERAL = strawberry.enum_value(
        "REAPPRAISE_COLLATERAL", description="Recorded a new appraisal of a collateral."
    )
    RELEASE_COLLATERAL = strawberry.enum_value(
        "RELEASE_COLLATERAL", description="Released a collateral."
    )
    UPDATE_RISK_SECURITY_SETTINGS = strawberry.enum_value(
        "UPDATE_RISK_SECURITY_SETTINGS",
        description="Changed the tenant's guarantee and waterfall settings.",
    )
    SUBMIT_CREDIT_APPLICATION = strawberry.enum_value(
        "SUBMIT_CREDIT_APPLICATION", description="Submitted a credit application."
    )
    GIVE_APPLICATION_OPINION = strawberry.enum_value(
        "GIVE_APPLICATION_OPINION",
        description="Gave a department's opinion on a credit application.",
    )
    DECIDE_CREDIT_APPLICATION = strawberry.enum_value(
        "DECIDE_CREDIT_APPLICATION", description="Decided a credit application."
    )
    ESCALATE_CREDIT_APPLICATION = strawberry.enum_value(
        "ESCALATE_CREDIT_APPLICATION", description="Escalated a credit application past its SLA."
    )
    REFILE_APPLICATION_LIMIT = strawberry.enum_value(
        "REFILE_APPLICATION_LIMIT",
        description="Filed a credit application's stale limit request anew.",
    )
    CREATE_CREDIT_AGREEMENT = strawberry.enum_value(
        "CREATE_CREDIT_AGREEMENT", description="Drew up a credit agreement."
    )
    SIGN_CREDIT_AGREEMENT = strawberry.enum_value(
        "SIGN_CREDIT_AGREEMENT", description="Recorded a credit agreement as signed."
    )
    EXPIRE_CREDIT_AGREEMENT = strawberry.enum_value(
        "EXPIRE_CREDIT_AGREEMENT", description="Recorded a credit agreement as ended."
    )
    COMPLETE_CREDIT_REVIEW = strawberry.enum_value(
        "COMPLETE_CREDIT_REVIEW", description="Recorded a credit review's checklist and outcome."
    )
    UPDATE_CREDIT_FILE_POLICY = strawberry.enum_value(
        "UPDATE_CREDIT_FILE_POLICY",
        description="Changed the credit-file completeness policy or review interval.",
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
    audit.AuditAction.CREATE_INSURANCE_POLICY: "createInsurancePolicy",
    audit.AuditAction.DECIDE_BUYER_COVER: "decideBuyerCover",
    audit.AuditAction.FILE_INSURANCE_CLAIM: "fileClaim",
    audit.AuditAction.SETTLE_INSURANCE_CLAIM: "settleInsuranceClaim",
    audit.AuditAction.CREATE_FACTORING_AGREEMENT: "createFactoringAgreement",
    audit.AuditAction.SET_FACTORING_DEBTOR_LIMIT: "setFactoringDebtorLimit",
    audit.AuditAction.BUY_BACK_INVOICE: "buyBackInvoice",
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
    audit.AuditAction.CREATE_GUARANTOR: "createGuarantor",
    audit.AuditAction.CREATE_GUARANTEE: "createGuarantee",
    audit.AuditAction.CALL_GUARANTEE: "callGuarantee",
    audit.AuditAction.RELEASE_GUARANTEE: "releaseGuarantee",
    audit.AuditAction.RECORD_GUARANTOR_PAYMENT: "recordGuarantorPayment",
    audit.AuditAction.CREATE_COLLATERAL: "createCollateral",
    audit.AuditAction.REAPPRAISE_COLLATERAL: "reappraiseCollateral",
    audit.AuditAction.RELEASE_COLLATERAL: "releaseCollateral",
    audit.AuditAction.UPDATE_RISK_SECURITY_SETTINGS: "updateRiskSecuritySettings",
    audit.AuditAction.SUBMIT_CREDIT_APPLICATION: "submitCreditApplication",
    audit.AuditAction.GIVE_APPLICATION_OPINION: "giveCreditApplicationOpinion",
    audit.AuditAction.DECIDE_CREDIT_APPLICATION: "decideCreditApplication",
    audit.AuditAction.ESCALATE_CREDIT_APPLICATION: "escalateCreditApplication",
    audit.AuditAction.REFILE_APPLICATION_LIMIT: "refileCreditApplicationLimit",
    audit.AuditAction.CREATE_CREDIT_AGREEMENT: "createCreditAgreement",
    audit.AuditAction.SIGN_CREDIT_AGREEMENT: "signCreditAgreement",
    audit.AuditAction.EXPIRE_CREDIT_AGREEMENT: "expireCreditAgreement",
    audit.AuditAction.COMPLETE_CREDIT_REVIEW: "completeCreditReview",
    audit.AuditAction.UPDATE_CREDIT_FILE_POLICY: "updateCreditFilePolicy",
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
