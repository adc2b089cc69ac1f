"""The roles a token may carry, and the groups the API grants permissions to."""

from __future__ import annotations

VIEWER = "viewer"
SALES = "sales"
COLLECTOR = "collector"
CREDIT_ANALYST = "credit_analyst"
CREDIT_MANAGER = "credit_manager"
LEGAL = "legal"
FINANCE = "finance"
ADMIN = "admin"
INTEGRATOR = "integrator"

ALL_ROLES: frozenset[str] = frozenset(
    {VIEWER, SALES, COLLECTOR, CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, FINANCE, ADMIN, INTEGRATOR}
)

#: Anyone inside the tenant may read customers and warnings.
READ_CUSTOMERS = ALL_ROLES
#: Customer master data is kept by sales and the credit team (and integrators syncing an ERP).
WRITE_CUSTOMERS = frozenset({SALES, CREDIT_ANALYST, CREDIT_MANAGER, ADMIN, INTEGRATOR})
#: Archiving a customer ends trading: a credit decision, not a sales one.
ARCHIVE_CUSTOMERS = frozenset({CREDIT_MANAGER, ADMIN})
#: The dossier (history, partners, documents) is the credit analyst's working file.
WRITE_CREDIT_FILE = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, ADMIN, INTEGRATOR})
#: Starting a review job is a credit-team action.
RUN_REVIEWS = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, ADMIN})
#: Warnings are acknowledged by whoever follows them up.
ACK_WARNINGS = frozenset({SALES, COLLECTOR, CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, ADMIN})
#: The audit trail shows who changed what: not for outside integrators or casual viewers.
READ_AUDIT = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, FINANCE, ADMIN})
#: The credit-file report carries financials: the credit team, legal, finance.
READ_CREDIT_REPORT = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, FINANCE, ADMIN, SALES})

#: Invoices and credit notes come from billing: finance or an ERP integration.
POST_INVOICES = frozenset({FINANCE, ADMIN, INTEGRATOR})
#: Cash is recorded by finance (and bank feeds through an integration); collectors see it.
POST_PAYMENTS = frozenset({FINANCE, ADMIN, INTEGRATOR})
#: Reversing history is a finance decision.
REVERSE_ENTRIES = frozenset({FINANCE, ADMIN})
#: Receivables are read by everyone who works the customer, not by casual viewers.
READ_RECEIVABLES = frozenset(
    {SALES, COLLECTOR, CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, FINANCE, ADMIN, INTEGRATOR, VIEWER}
)
#: Provisions are an accounting close: finance runs and closes them.
RUN_PROVISIONS = frozenset({FINANCE, ADMIN})
#: Collectors and credit managers propose write-offs; approvals are checked per role in domain.
PROPOSE_WRITE_OFFS = frozenset({COLLECTOR, CREDIT_MANAGER})
DECIDE_WRITE_OFFS = frozenset({FINANCE, CREDIT_MANAGER})
POST_WRITE_OFFS = frozenset({FINANCE, ADMIN})
#: The bad-debt case library is for the credit team and finance.
READ_CASES = frozenset({COLLECTOR, CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, FINANCE, ADMIN})
#: Collections work: sales make the first calls, collectors and the credit team follow up.
WORK_COLLECTIONS = frozenset({SALES, COLLECTOR, CREDIT_MANAGER, LEGAL, ADMIN})
#: Rating class, payment terms and interest rate are credit decisions, not sales ones.
SET_CREDIT_TERMS = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, ADMIN})
#: The tenant's receivables policy (buckets, ladder, matrix, rates) and terms templates.
CONFIGURE_RECEIVABLES = frozenset({CREDIT_MANAGER, FINANCE, ADMIN})
#: Policy and templates are read by everyone who works receivables.
READ_RECEIVABLES_CONFIG = READ_RECEIVABLES
#: Trusted documents (and webhooks): the tenant's administrators and its integrators.
MANAGE_INTEGRATIONS = frozenset({ADMIN, INTEGRATOR})
#: The tenant's own particulars (letterhead, bank accounts, seal) are the administrators'.
CONFIGURE_TENANT = frozenset({ADMIN})
#: Credit insurance (policies, covers, notifications, claims): the credit team and finance.
MANAGE_INSURANCE = frozenset({CREDIT_MANAGER, FINANCE, ADMIN})
#: Factoring moves receivables and cash: finance decides, the credit manager may assign.
MANAGE_FACTORING = frozenset({FINANCE, CREDIT_MANAGER, ADMIN})
#: Insurance and factoring are read by those who work receivables and credit.
READ_RISK_TRANSFER = frozenset(
    {SALES, COLLECTOR, CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, FINANCE, ADMIN, INTEGRATOR}
)
