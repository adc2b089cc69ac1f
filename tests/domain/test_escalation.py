"""The escalation ladder, the reminder window and the daily escalation planner."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.agreements import (
    BROKEN_PROMISE,
    ActivePlan,
    AgreementStatus,
    DuePromise,
    Instalment,
)
from domain.errors import DomainError
from domain.escalation import (
    DEFAULT_LADDER,
    CasePlan,
    Cause,
    CustomerFacts,
    OpenCase,
    OverdueItem,
    Stage,
    Task,
    days_overdue,
    escalation_stage,
    plan_case,
    position,
    reminder_due,
    stage_index,
    validate_ladder,
)
from domain.roles import ALL_ROLES


@pytest.mark.parametrize(
    ("days", "key"),
    [
        (0, None),
        (1, "SALES_CALL"),
        (30, "SALES_CALL"),
        (31, "CREDIT_MANAGER"),
        (60, "CREDIT_MANAGER"),
        (61, "LAWYER_LETTER"),
        (90, "LAWYER_LETTER"),
        (91, "LITIGATION"),
        (900, "LITIGATION"),
    ],
)
def test_default_ladder(days, key):
    stage = escalation_stage(days)
    assert (stage.key if stage else None) == key


@given(st.integers(-30, 2000), st.integers(-30, 2000))
def test_stage_never_goes_down_as_days_grow(a, b):
    low, high = sorted((a, b))
    assert stage_index(escalation_stage(low)) <= stage_index(escalation_stage(high))


def test_reminder_window():
    due = date(2026, 12, 10)
    assert not reminder_due(due, due - timedelta(days=8))
    assert reminder_due(due, due - timedelta(days=7))
    assert reminder_due(due, due - timedelta(days=1))
    assert not reminder_due(due, due)


def test_ladder_validation():
    assert validate_ladder(DEFAULT_LADDER) == DEFAULT_LADDER
    with pytest.raises(DomainError):
        validate_ladder([Stage("A", 1, 10, "sales", "x"), Stage("B", 12, None, "legal", "y")])


def test_ladder_stages_need_a_real_owner_and_an_action():
    with pytest.raises(DomainError) as unknown:
        validate_ladder([Stage("A", 1, None, "janitor", "sweep")])
    assert unknown.value.field == "0.ownerRole"
    with pytest.raises(DomainError):
        validate_ladder([Stage("A", 1, None, "legal", " ")])


# The planner: facts and the tenant's ladder in, the case's moves and tasks out.

AS_OF = date(2026, 11, 30)
CUSTOMER = UUID(int=1)
#: A tenant's own ladder: no key in common with the default one.
CUSTOM = (
    Stage("FRIENDLY", 1, 20, "sales", "Friendly call"),
    Stage("FIRM", 21, 45, "collector", "Firm letter"),
    Stage("FINAL", 46, None, "legal", "Final demand"),
)


def broken_promise(n: int = 1) -> DuePromise:
    """A promise of 100.00 with nothing paid."""
    return DuePromise(UUID(int=100 + n), 100_00, 0)


def test_days_overdue_are_those_of_the_oldest_undisputed_debt():
    items = [OverdueItem(40, 100_00, 100_00), OverdueItem(25, 100_00, 40_00), OverdueItem(3, 1, 0)]
    assert days_overdue(items) == 25  # the older item is wholly disputed
    assert days_overdue(items[:1]) == 0 and days_overdue([]) == 0


@given(
    st.lists(
        st.builds(OverdueItem, st.integers(1, 900), st.integers(1, 10**6), st.integers(0, 10**6))
    ),
    st.builds(OverdueItem, st.integers(1, 900), st.integers(1, 10**6), st.integers(0, 10**6)),
)
def test_another_item_never_makes_a_customer_less_overdue(items, another):
    before, after = days_overdue(items), days_overdue([*items, another])
    assert after >= before
    assert after == before or (another.collectable and after == another.days_past_due)


def test_a_new_overdue_customer_gets_a_case_on_the_right_rung_and_a_task():
    plan = plan_case(CustomerFacts(CUSTOMER, days_overdue=25), CUSTOM, AS_OF)
    assert plan.opens and not plan.closes and plan.days_overdue == 25
    assert [(m.stage.key, m.previous, m.cause) for m in plan.moves] == [
        ("FIRM", None, Cause.OVERDUE)
    ]
    assert plan.moves[0].task == Task("collector", "Firm letter", AS_OF + timedelta(days=1))


def test_a_case_closes_when_nothing_undisputed_is_overdue():
    plan = plan_case(CustomerFacts(CUSTOMER, 0, case=OpenCase("FINAL", 49)), CUSTOM, AS_OF)
    assert plan.closes and plan.moves == ()


def test_a_case_never_moves_down_when_its_debt_gets_younger():
    facts = CustomerFacts(CUSTOMER, days_overdue=5, case=OpenCase("FIRM", 30))
    plan = plan_case(facts, CUSTOM, AS_OF)
    assert plan.moves == () and plan.refresh_days and plan.days_overdue == 5


def test_a_breach_moves_one_rung_up_the_tenants_ladder():
    facts = CustomerFacts(
        CUSTOMER, days_overdue=10, case=OpenCase("FRIENDLY", 9), promises=(broken_promise(),)
    )
    plan = plan_case(facts, CUSTOM, AS_OF)
    assert [(m.stage.key, m.previous, m.cause, m.task.role) for m in plan.moves] == [
        ("FIRM", "FRIENDLY", Cause.BREACH, "collector")
    ]
    assert plan.next_action == BROKEN_PROMISE.task_title
    assert [o.status for o in plan.promises] == [AgreementStatus.BROKEN]


def test_the_aged_stage_comes_first_then_each_breach_one_more_rung_capped_at_the_top():
    facts = CustomerFacts(
        CUSTOMER,
        days_overdue=30,
        case=OpenCase("FRIENDLY", 20),
        promises=(broken_promise(1), broken_promise(2)),
    )
    plan = plan_case(facts, CUSTOM, AS_OF)
    assert [(m.stage.key, m.cause) for m in plan.moves] == [
        ("FIRM", Cause.OVERDUE),
        ("FINAL", Cause.BREACH),
        ("FINAL", Cause.BREACH),
    ]
    assert plan.escalates


def test_a_stage_key_the_ladder_no_longer_has_moves_to_the_aged_stage():
    facts = CustomerFacts(CUSTOMER, days_overdue=40, case=OpenCase("CREDIT_MANAGER", 40))
    plan = plan_case(facts, CUSTOM, AS_OF)
    assert [(m.stage.key, m.previous) for m in plan.moves] == [("FIRM", "CREDIT_MANAGER")]


def test_a_breach_without_overdue_debt_settles_but_does_not_escalate():
    plan = plan_case(CustomerFacts(CUSTOMER, promises=(broken_promise(),)), CUSTOM, AS_OF)
    assert not plan.opens and plan.moves == () and len(plan.promises) == 1
    assert not plan.changes_nothing


def test_nothing_to_do_is_an_empty_plan():
    facts = CustomerFacts(CUSTOMER, days_overdue=10, case=OpenCase("FRIENDLY", 10))
    assert plan_case(facts, CUSTOM, AS_OF).changes_nothing


# Properties, on generated ladders and facts.

ROLES = sorted(ALL_ROLES)


@st.composite
def ladders(draw: st.DrawFn) -> tuple[Stage, ...]:
    """A valid ladder: contiguous from day 1, the last rung open-ended."""
    widths = draw(st.lists(st.integers(1, 60), max_size=5))
    stages, start = [], 1
    for n, width in enumerate(widths):
        role = draw(st.sampled_from(ROLES))
        stages.append(Stage(f"S{n}", start, start + width - 1, role, f"act {n}"))
        start += width
    role = draw(st.sampled_from(ROLES))
    stages.append(Stage(f"S{len(widths)}", start, None, role, "last"))
    return validate_ladder(stages)


@st.composite
def facts_on(draw: st.DrawFn, ladder: tuple[Stage, ...]) -> CustomerFacts:
    """Any customer's day: days overdue, maybe a case (maybe on a stage of an older ladder),
    promises and plans with whatever was paid."""
    days = draw(st.integers(0, 500))
    keys = [s.key for s in ladder] + ["RETIRED"]
    case = draw(st.none() | st.builds(OpenCase, st.sampled_from(keys), st.integers(0, 500)))
    ids = iter(range(1, 1_000))
    promises = draw(
        st.lists(
            st.builds(
                lambda amount, paid: DuePromise(UUID(int=next(ids)), amount, paid),
                st.integers(1, 1_000),
                st.integers(0, 1_500),
            ),
            max_size=3,
        )
    )
    instalments = st.lists(
        st.builds(
            lambda offset, amount: Instalment(AS_OF + timedelta(days=offset), amount),
            st.integers(-30, 30),
            st.integers(1, 500),
        ),
        min_size=1,
        max_size=3,
    ).map(lambda xs: tuple(sorted(xs, key=lambda i: i.due_on)))
    plans = draw(
        st.lists(
            st.builds(
                lambda schedule, paid: ActivePlan(UUID(int=next(ids)), schedule, paid),
                instalments,
                st.integers(0, 1_500),
            ),
            max_size=2,
        )
    )
    return CustomerFacts(CUSTOMER, days, case, tuple(promises), tuple(plans))


@st.composite
def ladder_and_facts(draw: st.DrawFn) -> tuple[tuple[Stage, ...], CustomerFacts]:
    ladder = draw(ladders())
    return ladder, draw(facts_on(ladder))


def final_stage(facts: CustomerFacts, plan: CasePlan) -> str | None:
    """The case's stage key once the plan is applied (None: no open case)."""
    if plan.closes:
        return None
    if plan.stage is not None:
        return plan.stage.key
    return facts.case.stage if facts.case else None


def applied(facts: CustomerFacts, plan: CasePlan) -> CustomerFacts:
    """The facts as the service leaves them: the case written, agreements settled."""
    stage = final_stage(facts, plan)
    case = None if stage is None else OpenCase(stage, plan.days_overdue)
    settled = {o.id for o in plan.plans}
    plans = tuple(p for p in facts.plans if p.id not in settled)
    return replace(facts, case=case, promises=(), plans=plans)


@given(ladder_and_facts(), st.integers(0, 400))
def test_more_days_overdue_never_gives_an_earlier_stage(given_facts, extra):
    ladder, facts = given_facts
    older = replace(facts, days_overdue=facts.days_overdue + extra)
    sooner = position(final_stage(facts, plan_case(facts, ladder, AS_OF)), ladder)
    later = position(final_stage(older, plan_case(older, ladder, AS_OF)), ladder)
    assert sooner <= later


@given(ladder_and_facts())
def test_a_plan_applied_twice_on_the_same_day_changes_nothing_the_second_time(given_facts):
    ladder, facts = given_facts
    first = plan_case(facts, ladder, AS_OF)
    again = plan_case(applied(facts, first), ladder, AS_OF)
    assert again.changes_nothing, again


@given(ladder_and_facts())
def test_an_open_case_that_stays_open_never_moves_down(given_facts):
    ladder, facts = given_facts
    plan = plan_case(facts, ladder, AS_OF)
    if facts.case is not None and not plan.closes:
        after = position(final_stage(facts, plan), ladder)
        assert after >= position(facts.case.stage, ladder)
        assert after >= 0  # a case on a retired key lands on this ladder
