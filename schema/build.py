"""Assemble the schema with the platform's limits, caches and error masking."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError, ValidationContext, ValidationRule
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from infra.settings import Settings
from schema.arguments import ArgumentLimits
from schema.closing import mutations as closing
from schema.closing.queries import ClosingQuery
from schema.collections import mutations as collections
from schema.collections.queries import CollectionQuery
from schema.configuration import mutations as configuration
from schema.configuration.queries import ConfigQuery
from schema.cost_limits import CostLimits
from schema.credit.analysis import mutations as credit_analysis
from schema.credit.analysis.queries import CreditAnalysisQuery
from schema.credit.applications import mutations as credit_applications
from schema.credit.applications import review_mutations as credit_reviews
from schema.credit.applications.queries import CreditApplicationQuery
from schema.credit.limits.mutations import check as credit_check
from schema.credit.limits.mutations import limits as credit_limits
from schema.credit.limits.mutations import orders as sales_orders
from schema.credit.limits.mutations import settings as credit_settings
from schema.credit.limits.queries import CreditLimitQuery
from schema.credit.scoring import credit_terms
from schema.credit.scoring import mutations as credit_scoring
from schema.credit.scoring.queries import CreditScoringQuery
from schema.customers.mutations import credit_files
from schema.customers.mutations import master_data as customers
from schema.customers.queries import CustomerQuery
from schema.delivery import mutations as delivery
from schema.delivery.queries import DeliveryQuery
from schema.engine import inputs as lean_inputs
from schema.engine.compat import SharedMiddlewareManager
from schema.engine.compiled import CompiledDocuments
from schema.engine.hooks import LeanRunner
from schema.engine.switch import executor_class, refuse_skipped_extensions
from schema.errors import RequestIdMaskErrors
from schema.input_rules import guard
from schema.integration import mutations as integration
from schema.integration import webhook_mutations
from schema.integration.documents import TrustedDocuments
from schema.integration.queries import IntegrationQuery
from schema.jobs.queries import JobQuery
from schema.kpis.queries import KpiQuery
from schema.ledger.mutations import disputes, imports
from schema.ledger.mutations import postings as ledger
from schema.ledger.queries import LedgerQuery
from schema.node import NodeQuery, ViewerQuery
from schema.per_request import per_request
from schema.risk import (
    claims_mutations,
    factoring_mutations,
    insurance_mutations,
    security_mutations,
)
from schema.risk.factoring_queries import FactoringQuery
from schema.risk.insurance_queries import InsuranceQuery
from schema.risk.security_queries import RiskSecurityQuery
from schema.statements import mutations as statements
from schema.statements.queries import StatementQuery
from schema.subscriptions import Subscription
from schema.tenant import mutations as tenant
from schema.tenant.queries import TenantQuery
from schema.validation_cache import DocumentValidationCache
from schema.warnings import mutations as warnings
from schema.warnings.queries import WarningQuery

log = logging.getLogger("credit.graphql")


@strawberry.type(description="Read entry points.")
class Query(
    ViewerQuery,
    CustomerQuery,
    NodeQuery,
    WarningQuery,
    JobQuery,
    LedgerQuery,
    ClosingQuery,
    CollectionQuery,
    StatementQuery,
    KpiQuery,
    ConfigQuery,
    IntegrationQuery,
    TenantQuery,
    InsuranceQuery,
    FactoringQuery,
    CreditAnalysisQuery,
    CreditScoringQuery,
    CreditLimitQuery,
    RiskSecurityQuery,
    CreditApplicationQuery,
    DeliveryQuery,
):
    pass


#: Every module of mutations contributes its FIELDS; the order is the schema's order.
MUTATION_MODULES = (
    customers,
    credit_files,
    warnings,
    ledger,
    imports,
    closing,
    disputes,
    statements,
    collections,
    configuration,
    credit_terms,
    integration,
    webhook_mutations,
    tenant,
    insurance_mutations,
    claims_mutations,
    factoring_mutations,
    credit_analysis,
    credit_scoring,
    credit_settings,
    credit_limits,
    sales_orders,
    credit_check,
    security_mutations,
    credit_applications,
    credit_reviews,
    delivery,
)

Mutation = strawberry.type(
    type("Mutation", (), {k: v for m in MUTATION_MODULES for k, v in m.FIELDS.items()}),
    description="Write entry points: each takes one `input` and returns a payload with "
    "`userErrors`.",
)

# Every root field with arguments checks dates and text lengths before it runs (a mutation
# answers with userErrors, a query with BAD_USER_INPUT): a field added later is covered too.
for _field in (*Query.__strawberry_definition__.fields, *Mutation.__strawberry_definition__.fields):
    guard(_field)


def trusted_documents(only_registered: bool) -> type[SchemaExtension]:
    """The trusted-documents extension, set to refuse unregistered documents or not."""
    return type(
        "TrustedDocumentsExtension",
        (TrustedDocuments, SchemaExtension),
        {"only_registered": only_registered},
    )


def coded_rule(rule: type[ValidationRule], code: str) -> type[ValidationRule]:
    """A validation rule whose errors carry `extensions.code`: strawberry's depth and alias
    rules report from their constructor through the shared context, so the context's
    reporter is wrapped while the rule is built."""

    class Coded(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            report = context.on_error

            def coded(error: GraphQLError) -> None:
                error.extensions = {**(error.extensions or {}), "code": code}
                report(error)

            context.on_error = coded  # type: ignore[method-assign]
            try:
                self.inner = rule(context)
            finally:
                context.on_error = report  # type: ignore[method-assign]
            super().__init__(context)

    Coded.__name__ = f"Coded{rule.__name__}"
    return Coded


class OperationLimits(SchemaExtension):
    """Depth, alias and token limits in one hook: strawberry's QueryDepthLimiter,
    MaxAliasesLimiter and MaxTokensLimiter each cost a hook on every operation for what is
    two validation rules (cached with the document's validation) and one parser option."""

    def __init__(self, max_depth: int, max_aliases: int, max_tokens: int) -> None:
        self.rules = (
            *(
                coded_rule(rule, "QUERY_TOO_DEEP")
                for rule in QueryDepthLimiter(max_depth=max_depth).validation_rules
            ),
            *(
                coded_rule(rule, "TOO_MANY_ALIASES")
                for rule in MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules
            ),
        )
        self.max_tokens = max_tokens

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        ctx.validation_rules = ctx.validation_rules + self.rules
        ctx.parse_options["max_tokens"] = self.max_tokens
        yield


class CloseReadSession(SchemaExtension):
    """Give each operation reads of its own (a WebSocket's operations share one context) and
    give its read connection back as soon as it ends, also when it ends by an exception
    thrown in (a subscriber going away mid-stream: the connection was left to the garbage
    collector). A subscription gives it back after each event itself (schema/subscriptions.py)."""

    async def on_operation(self) -> Any:  # type: ignore[override]
        context = self.execution_context.context
        if not hasattr(context, "begin_operation"):
            yield
            return
        begun = context.begin_operation()
        try:
            yield
        finally:
            await context.end_operation(begun)


class HideSuggestions(SchemaExtension):
    """Strip 'Did you mean ...' hints, which would leak the schema when introspection is off."""

    def on_validate(self) -> Any:  # type: ignore[override]
        yield
        for error in self.execution_context.pre_execution_errors or []:
            if " Did you mean" in error.message:
                error.message = error.message.split(" Did you mean")[0]


class CreditSchema(SharedMiddlewareManager, strawberry.Schema):
    """A schema whose expected errors (auth, validation) log one line, not a traceback, and
    whose extension hooks run through engine.hooks while the fast path is on."""

    lean_hooks = False

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> Any:
        if self.lean_hooks:
            return LeanRunner(execution_context=execution_context, extensions=extensions)
        return super().create_extensions_runner(execution_context, extensions)

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION")
            if code == "INTERNAL_SERVER_ERROR":
                continue  # already logged with its traceback by RequestIdMaskErrors
            log.info("graphql error", extra={"code": code, "error": error.message})


def build_schema(settings: Settings, extra: tuple[Any, ...] = ()) -> strawberry.Schema:
    """The executable schema for these settings; refuses (FastPathRefused) an extension that
    the fast path would skip while it is on."""
    extensions: list[Any] = [
        CloseReadSession,  # first in, last out: every other hook's reads are the operation's
        per_request(ParserCache(maxsize=512)),
        DocumentValidationCache,
        trusted_documents(settings.trusted_documents_only),
        per_request(ArgumentLimits(settings.max_page_size)),
        *((CostLimits,) if settings.cost_analysis else ()),
        per_request(OperationLimits(settings.max_depth, settings.max_aliases, settings.max_tokens)),
        *((CompiledDocuments,) if settings.compiled_documents else ()),
        RequestIdMaskErrors,
        *extra,
    ]
    if not settings.introspection:
        extensions.append(per_request(DisableIntrospection()))
        extensions.append(HideSuggestions)
    schema = CreditSchema(
        execution_context_class=executor_class(settings.graphql_fast_path),
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )
    refuse_skipped_extensions(schema)
    schema.lean_hooks = settings.graphql_fast_path
    if settings.graphql_fast_path:
        lean_inputs.register(schema)
    return schema


def sdl() -> str:
    """The schema as SDL (what schema/schema.graphql holds)."""
    from infra.settings import Settings as _S

    return build_schema(_S()).as_str() + "\n"
