"""Receivables policy and payment-terms types, as stored and as in effect."""

from __future__ import annotations

from enum import Enum

import strawberry

from domain.aging import Bucket
from domain.terms import PaymentTerms
from schema.ledger.aging import AgingBucket
from schema.money import DecimalString
from services.configuration.payment_terms import TermsCatalogue, TermsTemplate
from services.configuration.policy import ReceivablesConfig


@strawberry.type(description="One rung of the escalation ladder.")
class EscalationStage:
    key: str = strawberry.field(description="Stage key, e.g. CREDIT_MANAGER.")
    min_days: int = strawberry.field(description="First day overdue in the stage.")
    max_days: int | None = strawberry.field(description="Last day; null when open-ended.")
    owner_role: str = strawberry.field(description="Role that owns the case in this stage.")
    action: str = strawberry.field(description="What the owner does.")


@strawberry.type(description="A provision rate from a number of days on.")
class ProvisionBandView:
    min_days: int = strawberry.field(description="Days (age or past due) the band starts at.")
    rate: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Share provisioned, 0..1."
    )


@strawberry.type(description="The provision matrix.")
class ProvisionMatrixView:
    basis: str = strawberry.field(description="AGE (since issue) or DPD (IFRS 9 simplified).")
    bands: list[ProvisionBandView] = strawberry.field(description="Bands, ascending.")


@strawberry.type(description="The tenant's receivables policy in effect (defaults filled in).")
class ReceivablesSettings:
    aging_buckets: list[AgingBucket] = strawberry.field(description="Days-past-due buckets.")
    age_buckets: list[AgingBucket] = strawberry.field(description="Age-since-issue buckets.")
    escalation_ladder: list[EscalationStage] = strawberry.field(description="Collections ladder.")
    provision_matrix: ProvisionMatrixView = strawberry.field(description="Month-end provisions.")
    late_interest_daily_rate: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Simple daily late interest (0.0005 = 0.05% a day), unless agreed otherwise."
    )
    grace_days: int = strawberry.field(description="Days after due before interest runs.")
    reminder_days_before_due: int = strawberry.field(description="Pre-due reminder lead.")
    write_off_dual_approval_minor_units: int = strawberry.field(
        description="Write-offs above this many minor units also need the credit manager."
    )
    max_document_amount_minor_units: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="The largest amount one document may carry, in minor units (a whole "
        "number as a string; 10^15 unless the tenant set less)."
    )
    overridden: list[str] = strawberry.field(description="Settings that differ from defaults.")

    @classmethod
    def build(cls, c: ReceivablesConfig) -> ReceivablesSettings:
        """From the effective policy."""

        def buckets(items: tuple[Bucket, ...]) -> list[AgingBucket]:
            return [
                AgingBucket(label=b.label, min_days=b.min_days, max_days=b.max_days) for b in items
            ]

        return cls(
            aging_buckets=buckets(c.aging_buckets),
            age_buckets=buckets(c.age_buckets),
            escalation_ladder=[
                EscalationStage(
                    key=s.key,
                    min_days=s.min_days,
                    max_days=s.max_days,
                    owner_role=s.owner_role,
                    action=s.action,
                )
                for s in c.escalation_ladder
            ],
            provision_matrix=ProvisionMatrixView(
                basis=c.provision_matrix.basis,
                bands=[
                    ProvisionBandView(min_days=b.min_days, rate=str(b.rate))
                    for b in c.provision_matrix.bands
                ],
            ),
            late_interest_daily_rate=str(c.late_interest_daily_rate),
            grace_days=c.grace_days,
            reminder_days_before_due=c.reminder_days_before_due,
            write_off_dual_approval_minor_units=c.write_off_dual_approval_minor,
            max_document_amount_minor_units=str(c.max_document_minor),
            overridden=[s.value for s in c.overridden],
        )


@strawberry.enum(description="How a due date is derived.")
class TermsKindEnum(Enum):
    NET = strawberry.enum_value("NET", description="Issue date plus net days.")
    END_OF_MONTH = strawberry.enum_value(
        "END_OF_MONTH", description="End of the issue month plus days."
    )
    INSTALMENTS = strawberry.enum_value("INSTALMENTS", description="Shares at offsets.")


@strawberry.type(description="A share of an invoice due some days after issue.")
class InstalmentView:
    percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Percent of the invoice."
    )
    offset_days: int = strawberry.field(description="Days after issue.")


@strawberry.type(description="Payment terms.")
class Terms:
    kind: TermsKindEnum = strawberry.field(description="NET, END_OF_MONTH or INSTALMENTS.")
    net_days: int = strawberry.field(description="With NET.")
    eom_plus_days: int = strawberry.field(description="With END_OF_MONTH.")
    instalments: list[InstalmentView] = strawberry.field(description="With INSTALMENTS.")

    @classmethod
    def build(cls, t: PaymentTerms) -> Terms:
        """From the domain's terms."""
        return cls(
            kind=TermsKindEnum(t.kind.value),
            net_days=t.net_days,
            eom_plus_days=t.eom_plus_days,
            instalments=[
                InstalmentView(percent=str(i.percent), offset_days=i.offset_days)
                for i in t.instalments
            ],
        )


@strawberry.type(description="A stored payment-terms template.")
class PaymentTermsTemplate:
    code: str = strawberry.field(description="Code; CLASS_A..CLASS_D set a class's default.")
    name: str = strawberry.field(description="Name shown to users.")
    terms: Terms = strawberry.field(description="The terms.")

    @classmethod
    def build(cls, t: TermsTemplate) -> PaymentTermsTemplate:
        """From a stored template."""
        return cls(code=t.code, name=t.name, terms=Terms.build(t.terms))


@strawberry.type(description="The terms a rating class gets when no agreement says otherwise.")
class ClassTerms:
    rating_class: str = strawberry.field(description="A, B, C or D.")
    terms: Terms = strawberry.field(description="Effective terms (template or default).")


@strawberry.type(description="Payment terms of the tenant.")
class PaymentTermsCatalogue:
    templates: list[PaymentTermsTemplate] = strawberry.field(description="Stored templates.")
    class_defaults: list[ClassTerms] = strawberry.field(description="Per rating class.")

    @classmethod
    def build(cls, c: TermsCatalogue) -> PaymentTermsCatalogue:
        """From the service's catalogue."""
        return cls(
            templates=[PaymentTermsTemplate.build(t) for t in c.templates],
            class_defaults=[
                ClassTerms(rating_class=k, terms=Terms.build(v)) for k, v in c.class_terms
            ],
        )
