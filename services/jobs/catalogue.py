"""Every background job, declared once: its name, typed arguments, queue and retry policy.

Mutations, services and the scheduler request jobs with these specs; the worker (`jobs/`)
generates one actor per spec and binds it to the service call it makes. The names are the
`actor` of stored job rows, so they never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.jobs.spec import JobSpec, Retry

#: Daily jobs retry with backoff: a database hiccup should not lose the day's run.
DAILY = Retry(
    max_retries=5,
    min_backoff=timedelta(seconds=2),
    max_backoff=timedelta(minutes=2),
    time_limit=timedelta(minutes=30),
)
#: Month-end jobs are one transaction each and may run long; retries wait longer.
MONTH_END = Retry(
    max_retries=5,
    min_backoff=timedelta(seconds=5),
    max_backoff=timedelta(minutes=5),
    time_limit=timedelta(hours=1),
)
#: One document is quick; a render that keeps failing is a template bug, not bad luck.
DOCUMENT = Retry(
    max_retries=3,
    min_backoff=timedelta(seconds=2),
    max_backoff=timedelta(minutes=1),
    time_limit=timedelta(minutes=5),
)


@dataclass(frozen=True)
class AsOf:
    """A run for one business date (idempotent per date)."""

    as_of: date


#: Grade every active customer's credit file; raises a LIGHT warning per finding.
REVIEW_CREDIT_FILES = JobSpec("review_credit_files", AsOf, DAILY)
#: Reminders, escalation, promises and plans; idempotent per date, so a retry cannot remind twice.
DAILY_COLLECTIONS = JobSpec("daily_collections", AsOf, DAILY)
#: The day's aging per customer and currency, kept for trends (insert-once).
AGING_SNAPSHOT = JobSpec("aging_snapshot", AsOf, DAILY)
#: The early-warning rules over every customer, then SLA escalation; a re-run raises nothing.
WARNING_RULES = JobSpec("warning_rules", AsOf, DAILY)


@dataclass(frozen=True)
class CustomerEvent:
    """One customer's rules at once, because something that matters happened to it."""

    customer_id: UUID
    as_of: date
    cause: str


#: The rules for one customer on an event (a payment reversed, a new legal record).
WARNING_RULES_NOW = JobSpec("warning_rules_now", CustomerEvent, DAILY)


@dataclass(frozen=True)
class PeriodEnd:
    """A month-end run, for the period ending on a date."""

    period_end: date


#: Month-end provisions: one transaction per run, so a killed run leaves no partial period.
RUN_PROVISIONS = JobSpec("run_provisions", PeriodEnd, MONTH_END)


@dataclass(frozen=True)
class Period:
    """A monthly run, for the month starting on a date."""

    period: date


#: The month's statements (existing ones are kept); requests one render per statement and language.
MONTHLY_STATEMENTS = JobSpec("monthly_statements", Period, MONTH_END)

#: Nightly: score again every customer whose inputs changed (ledger, statements, external
#: data); classes stay until the monthly reclassification.
RESCORE_CHANGED = JobSpec("rescore_changed_customers", AsOf, DAILY)
#: Nightly: expire limits, temporary increases and agreements, escalate stalled applications,
#: open and warn credit reviews; each step idempotent per date.
CREDIT_SWEEP = JobSpec("credit_daily_sweep", AsOf, DAILY)
#: Monthly: score everyone and move classes with the scores (overrides in force hold).
RECLASSIFY = JobSpec("reclassify_customers", Period, MONTH_END)


@dataclass(frozen=True)
class StatementPdf:
    """One statement in one language."""

    statement_id: UUID
    lang: str


#: One PDF per statement and language, so several worker processes share a month's run.
RENDER_STATEMENT = JobSpec("render_statement", StatementPdf, DOCUMENT)

#: The policy clock: warns before each insured invoice's deadlines, records misses (lapses)
#: and the insurer's required actions; insert-once per invoice, deadline and stage.
INSURANCE_SWEEP = JobSpec("insurance_sweep", AsOf, DAILY)
#: Factoring: mirrors receivables-ledger movements on assigned invoices into the sub-ledger,
#: settles the invoices paid up and takes back with-recourse invoices past their window.
FACTORING_DAILY = JobSpec("factoring_daily", AsOf, DAILY)
#: The month's insured-turnover declaration and premium per policy (one per policy and month).
INSURANCE_DECLARATIONS = JobSpec("insurance_declarations", Period, MONTH_END)


@dataclass(frozen=True)
class RiskDocumentPdf:
    """One risk-transfer document (notification, claim pack, notice) in one language."""

    document_id: UUID
    lang: str


#: One risk-transfer PDF, kept as the exact bytes first rendered.
RENDER_RISK_DOCUMENT = JobSpec("render_risk_document", RiskDocumentPdf, DOCUMENT)

#: The guarantee clock (part A of risk transfer): warnings before each covered debt's guarantee
#: period lapses and records of lapses, expiries, proposals to call and release, re-appraisals;
#: insert-once per guarantee, debt, kind and deadline.
GUARANTEE_SWEEP = JobSpec("guarantee_sweep", AsOf, DAILY)

#: E-mail retried with growing pauses (5 s doubling to an hour, about 3.5 hours in all), so a
#: mail server's outage or greylisting is waited out; the last failure is recorded as such.
DELIVERY = Retry(
    max_retries=12,
    min_backoff=timedelta(seconds=5),
    max_backoff=timedelta(hours=1),
    time_limit=timedelta(minutes=2),
)


@dataclass(frozen=True)
class DocumentDelivery:
    """One copy of an archived document on its way to one recipient."""

    delivery_id: UUID


#: Send one archived document to one recipient (retried with backoff; ends sent or failed).
DELIVER_DOCUMENT = JobSpec("deliver_document", DocumentDelivery, DELIVERY)


@dataclass(frozen=True)
class StatementRef:
    """One statement."""

    statement_id: UUID


#: E-mail a new statement to the customer's finance contacts (when a mail server is set).
SEND_STATEMENT = JobSpec("send_statement", StatementRef, DOCUMENT)

#: Webhook deliveries: their own queue, so a slow receiver never delays the month-end close;
#: the schedule of retries lives in webhook_deliveries, so a lost message costs one poll.
WEBHOOKS = Retry(
    max_retries=2,
    min_backoff=timedelta(seconds=1),
    max_backoff=timedelta(seconds=10),
    time_limit=timedelta(minutes=10),
)


@dataclass(frozen=True)
class WebhookEndpointRef:
    """One endpoint whose due deliveries are sent, in order."""

    endpoint_id: UUID


#: Send an endpoint's due webhook deliveries; asked for by the dispatcher, not the jobs table.
DELIVER_WEBHOOKS = JobSpec("deliver_webhooks", WebhookEndpointRef, WEBHOOKS, queue="webhooks")

#: Jobs requested through the jobs table (the outbox), each bound to its service call.
STORED: tuple[JobSpec[Any], ...] = (
    REVIEW_CREDIT_FILES,
    DAILY_COLLECTIONS,
    AGING_SNAPSHOT,
    WARNING_RULES,
    WARNING_RULES_NOW,
    RUN_PROVISIONS,
    MONTHLY_STATEMENTS,
    RENDER_STATEMENT,
    INSURANCE_SWEEP,
    FACTORING_DAILY,
    INSURANCE_DECLARATIONS,
    RENDER_RISK_DOCUMENT,
    GUARANTEE_SWEEP,
    RESCORE_CHANGED,
    CREDIT_SWEEP,
    RECLASSIFY,
    SEND_STATEMENT,
    DELIVER_DOCUMENT,
)
#: Every spec a worker runs: the stored jobs and the messages a dispatcher sends directly.
SPECS: tuple[JobSpec[Any], ...] = (*STORED, DELIVER_WEBHOOKS)
BY_NAME: dict[str, JobSpec[Any]] = {spec.name: spec for spec in SPECS}
