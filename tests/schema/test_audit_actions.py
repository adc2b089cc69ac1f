"""The audit `action` enum is the domain's verbs; the deprecated `mutation` covers each."""

from __future__ import annotations

from domain import audit
from schema.customers.audit import MUTATION_OF, AuditAction


def test_the_api_shows_every_domain_verb_and_no_other() -> None:
    assert [a.value for a in AuditAction] == [a.value for a in audit.AuditAction]


def test_every_verb_still_answers_the_deprecated_mutation_name() -> None:
    assert set(MUTATION_OF) == set(audit.AuditAction)
    assert len(set(MUTATION_OF.values())) == len(MUTATION_OF)  # one name per verb: reversible
