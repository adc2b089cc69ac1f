"""Configuration mutations: the receivables policy and the payment-terms templates."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.configuration.errors import CONFIGURATION
from schema.configuration.types import (
    PaymentTermsTemplate,
    ReceivablesSettings,
    TermsKindEnum,
)
from schema.context import Context
from schema.input_rules import text
from schema.money import DecimalString
from schema.mutation import INPUT, respond
from schema.permissions import allow, roles_note
from services.configuration import payment_terms
from services.configuration import policy as receivables_config
from services.configuration.inputs import KEEP, BucketIn, MatrixIn, PolicyChanges, StageIn
from services.configuration.payment_terms import TermsTemplate
from services.configuration.policy import ReceivablesConfig

RESET = "Null resets it to the practice's default; omitted leaves it as it is."


@strawberry.input(description="An aging bucket.")
class BucketInput:
    label: str = text("Label, unique in the list.", texts.LABEL)
    min_days: int = strawberry.field(description="First day in the bucket.")
    max_days: int | None = strawberry.field(default=None, description="Last day; null: open.")


@strawberry.input(description="A rung of the escalation ladder.")
class StageInput:
    key: str = text("Stage key.", texts.CODE)
    min_days: int = strawberry.field(description="First day overdue.")
    max_days: int | None = strawberry.field(default=None, description="Last day; null: open.")
    owner_role: str = text("Role that owns the case.", texts.CODE)
    action: str = text("What the owner does.", texts.NAME)


@strawberry.input(description="A provision band.")
class BandInput:
    min_days: int = strawberry.field(description="Days the band starts at.")
    rate: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Share provisioned, 0..1."
    )


@strawberry.input(description="A provision matrix.")
class MatrixInput:
    basis: str = text("AGE or DPD.", texts.CODE)
    bands: list[BandInput] = strawberry.field(description="Ascending bands.")


@strawberry.input(description="Changes to the receivables policy. " + RESET)
class UpdateReceivablesSettingsInput:
    aging_buckets: list[BucketInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Days-past-due buckets, from 0 (current)."
    )
    age_buckets: list[BucketInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Age-since-issue buckets."
    )
    escalation_ladder: list[StageInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Ladder from 1 day overdue, last stage open."
    )
    provision_matrix: MatrixInput | None = strawberry.field(
        default=strawberry.UNSET, description="Month-end provision matrix."
    )
    late_interest_daily_rate: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Daily rate, 0 to below 0.01."
    )
    grace_days: int | None = strawberry.field(default=strawberry.UNSET, description="0-90 days.")
    reminder_days_before_due: int | None = strawberry.field(
        default=strawberry.UNSET, description="0-60 days."
    )
    write_off_dual_approval_minor_units: int | None = strawberry.field(
        default=strawberry.UNSET, description="Threshold in minor units."
    )
    max_document_amount_minor_units: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET,
        description="The largest amount one document (invoice, payment, credit note, promise, "
        "payment plan, recovery) may carry, in minor units of its currency, as a whole number "
        "from 1 to 1000000000000000 (10^15, the default and the platform's ceiling).",
    )


@strawberry.type(description="Result of a settings change.")
class ReceivablesSettingsPayload(CONFIGURATION.payload):
    settings: ReceivablesSettings | None = strawberry.field(
        default=None, description="The policy in effect."
    )


def _buckets(items: list[BucketInput] | None) -> tuple[BucketIn, ...] | None:
    if items is None:
        return None
    return tuple(BucketIn(b.label, b.min_days, b.max_days) for b in items)


def _ladder(items: list[StageInput] | None) -> tuple[StageIn, ...] | None:
    if items is None:
        return None
    return tuple(StageIn(s.key, s.min_days, s.max_days, s.owner_role, s.action) for s in items)


def _matrix(m: MatrixInput | None) -> MatrixIn | None:
    return None if m is None else MatrixIn(m.basis, tuple((b.min_days, b.rate) for b in m.bands))


def _changes(data: UpdateReceivablesSettingsInput) -> PolicyChanges:
    """Omitted fields (UNSET) keep their setting; null resets it."""

    def given(value: Any, convert: Any = None) -> Any:
        if value is strawberry.UNSET:
            return KEEP
        return convert(value) if convert is not None else value

    return PolicyChanges(
        aging_buckets=given(data.aging_buckets, _buckets),
        age_buckets=given(data.age_buckets, _buckets),
        escalation_ladder=given(data.escalation_ladder, _ladder),
        provision_matrix=given(data.provision_matrix, _matrix),
        late_interest_daily_rate=given(data.late_interest_daily_rate),
        grace_days=given(data.grace_days),
        reminder_days_before_due=given(data.reminder_days_before_due),
        write_off_dual_approval_minor=given(data.write_off_dual_approval_minor_units),
        max_document_minor=given(data.max_document_amount_minor_units),
    )


async def update_receivables_settings(
    info: Info[Context, Any], input: Annotated[UpdateReceivablesSettingsInput, INPUT]
) -> ReceivablesSettingsPayload:
    changes = _changes(input)

    async def show(config: ReceivablesConfig) -> dict[str, Any]:
        return {"settings": ReceivablesSettings.build(config)}

    return await respond(
        info,
        ReceivablesSettingsPayload,
        lambda uow: receivables_config.update(uow, changes),
        show,
    )


@strawberry.input(description="An instalment share.")
class InstalmentInput:
    percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Percent of the invoice (a plain decimal); all shares add up to 100."
    )
    offset_days: int = strawberry.field(description="Days after issue, 0-3650.")


@strawberry.input(description="A payment-terms template (created, or replaced by code).")
class SavePaymentTermsInput:
    code: str = text("Code; CLASS_A..CLASS_D set a class default.", texts.CODE)
    name: str = text("Name shown to users.", texts.NAME)
    kind: TermsKindEnum = strawberry.field(description="How the due date is derived.")
    net_days: int = strawberry.field(default=0, description="With NET: 0-3650 days.")
    eom_plus_days: int = strawberry.field(default=0, description="With END_OF_MONTH: 0-3650 days.")
    instalments: list[InstalmentInput] | None = strawberry.field(
        default=None, description="With INSTALMENTS."
    )


@strawberry.type(description="Result of saving a terms template.")
class PaymentTermsPayload(CONFIGURATION.payload):
    template: PaymentTermsTemplate | None = strawberry.field(
        default=None, description="The saved template."
    )


async def save_payment_terms(
    info: Info[Context, Any], input: Annotated[SavePaymentTermsInput, INPUT]
) -> PaymentTermsPayload:
    data = payment_terms.TermsIn(
        code=input.code.strip().upper(),
        name=input.name,
        kind=input.kind.value,
        net_days=input.net_days,
        eom_plus_days=input.eom_plus_days,
        instalments=tuple((i.percent, i.offset_days) for i in input.instalments or []),
    )

    async def show(template: TermsTemplate) -> dict[str, Any]:
        return {"template": PaymentTermsTemplate.build(template)}

    return await respond(info, PaymentTermsPayload, lambda uow: payment_terms.save(uow, data), show)


FIELDS = {
    "update_receivables_settings": strawberry.mutation(
        resolver=update_receivables_settings,
        extensions=allow(roles.CONFIGURE_RECEIVABLES),
        description="Change the receivables policy (buckets, ladder, provision matrix, "
        "interest, reminders, write-off threshold); audited."
        + roles_note(roles.CONFIGURE_RECEIVABLES),
    ),
    "save_payment_terms": strawberry.mutation(
        resolver=save_payment_terms,
        extensions=allow(roles.CONFIGURE_RECEIVABLES),
        description="Create or replace a payment-terms template; audited."
        + roles_note(roles.CONFIGURE_RECEIVABLES),
    ),
}
