"""Who receives which document, in which language."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.recipients import Contact, Duty, Purpose, duties_of, language_of, recipients


def email(contact: Contact) -> str | None:
    return contact.email


LINA = Contact("李娜", "财务经理", "lina@example.cn")
BOSS = Contact("王总", "总经理", "wang@example.cn")
BUYER = Contact("陈刚", "采购总监", "chen@example.cn")
ANNA = Contact("Anna Berg", "CFO", "anna@example.se")


def test_roles_as_people_write_them() -> None:
    assert duties_of("财务经理") == {Duty.FINANCE}
    assert duties_of("CFO") == {Duty.FINANCE}
    assert duties_of("Accounts Payable") == {Duty.FINANCE}
    assert duties_of("法定代表人、总经理") == {Duty.MANAGEMENT}
    assert duties_of("采购总监") == {Duty.PURCHASING}
    assert duties_of(None) == frozenset()


def test_finance_receives_reminders_and_management_the_lawyers_letter_first() -> None:
    contacts = [BUYER, LINA, BOSS]
    assert [r.name for r in recipients(contacts, Purpose.STATEMENT, "CN", email)] == ["李娜"]
    assert [r.name for r in recipients(contacts, Purpose.DEMAND, "CN", email)] == ["李娜", "王总"]
    assert [r.name for r in recipients(contacts, Purpose.LAWYER, "CN", email)] == ["王总", "李娜"]


def test_without_a_matching_role_every_address_receives_it_once() -> None:
    twice = Contact("Chen Gang", "Buyer", "CHEN@example.cn")
    got = recipients([BUYER, twice, Contact("无邮箱", "财务")], Purpose.REMINDER, "CN", email)
    assert [(r.name, r.address) for r in got] == [("陈刚", "chen@example.cn")]
    assert recipients([Contact("无邮箱", "财务")], Purpose.REMINDER, "CN", email) == []


def test_languages() -> None:
    assert language_of(LINA, "SE") == "zh-CN"  # a Chinese name writes Chinese
    assert language_of(ANNA, "SE") == "en"
    assert language_of(Contact("David Wang", "Finance"), "CN") == "zh-CN"  # a Chinese company
    assert language_of(Contact("David Wang", "Finance", language="en"), "CN") == "en"  # told so
    assert recipients([ANNA], Purpose.STATEMENT, "SE", email)[0].language == "en"


@given(
    st.lists(
        st.builds(
            Contact,
            name=st.text(min_size=1, max_size=5),
            role=st.sampled_from([None, "财务", "CFO", "总经理", "采购", "Buyer"]),
            email=st.sampled_from([None, "", "a@x.cn", "A@x.cn", "b@x.cn", "c@x.cn"]),
        ),
        max_size=8,
    ),
    st.sampled_from(list(Purpose)),
)
def test_recipients_are_reachable_distinct_and_present_when_anyone_is(contacts, purpose) -> None:
    got = recipients(contacts, purpose, "CN", email)
    addresses = [r.address.casefold() for r in got]
    assert len(addresses) == len(set(addresses))
    assert all(r.address for r in got)
    assert bool(got) == any(c.email for c in contacts)
