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
#: Documents as sent (letters, statements, notices) are evidence: whoever works the customer.
READ_SENT_DOCUMENTS = frozenset(
    {SALES, COLLECTOR, CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, FINANCE, ADMIN}
)
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

#: Credit analysis (statements, ratios, external data, behaviour, scores, classes) is read by
#: the credit team, legal and finance.
READ_CREDIT_ANALYSIS = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, FINANCE, ADMIN})
#: Financial statements are entered by the credit team or pushed by an integration.
WRITE_FINANCIALS = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, ADMIN, INTEGRATOR})
#: External credit data: the credit team, legal (court records) and integrations.
WRITE_EXTERNAL_CREDIT_DATA = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, ADMIN, INTEGRATOR})
#: Scorecard versions are credit policy: drafted, simulated and activated by the managers.
CONFIGURE_SCORECARD = frozenset({CREDIT_MANAGER, ADMIN})
#: Scoring a customer on demand.
RUN_SCORING = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, ADMIN})
#: Overriding a class, and approving someone else's override: credit managers only.
OVERRIDE_CLASS = frozenset({CREDIT_MANAGER})

#: Credit limits, exposure and orders are read by everyone working receivables.
READ_CREDIT_LIMITS = READ_RECEIVABLES
#: The decision log holds every input of every decision: for the credit team and auditors.
READ_CREDIT_DECISIONS = frozenset({CREDIT_ANALYST, CREDIT_MANAGER, LEGAL, FINANCE, ADMIN})
#: Exchange rates are finance's to maintain.
MAINTAIN_EXCHANGE_RATES = frozenset({FINANCE, ADMIN})
#: The credit policy (classes, thresholds, approval matrix, formula) is the credit manager's.
CONFIGURE_CREDIT_POLICY = frozenset({CREDIT_MANAGER, ADMIN})
#: Limits are requested and decided by the credit team; the matrix says who may approve what.
DECIDE_CREDIT_LIMITS = frozenset({CREDIT_ANALYST, CREDIT_MANAGER})
#: A credit hold stops a customer's trading on credit: a credit manager's call, with a reason.
SET_CREDIT_HOLD = frozenset({CREDIT_MANAGER})
#: Sales orders come from the order system (an integration) or sales.
REGISTER_ORDERS = frozenset({INTEGRATOR, SALES, ADMIN})
#: The order-time credit check is asked by whoever takes orders, and by the credit team.
CHECK_CREDIT = frozenset({SALES, INTEGRATOR, CREDIT_ANALYST, CREDIT_MANAGER, FINANCE, ADMIN})
