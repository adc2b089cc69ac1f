"""Migration 0008: stored mutation names become domain verbs and back, for every tenant."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy.exc import ProgrammingError

from dbschema.provision import downgrade, migrate
from domain.audit import AuditAction

#: What 0006 stored, and the verb each becomes (the demo loader's rows by what they changed).
STORED = [
    ("createCustomer", {"code": {}}, "CREATE_CUSTOMER"),
    ("setCustomerCreditTerms", {"ratingClass": {}}, "SET_CREDIT_TERMS"),
    ("recordCreditReview", {"lastReviewedOn": {}}, "REVIEW_CREDIT_FILE"),
    ("unlinkPartner", {"partner": {}}, "UNLINK_PARTNER"),
    ("savePaymentTerms", {"terms": {}}, "SAVE_PAYMENT_TERMS"),
    ("demo", {"ratingClass": {}}, "SET_CREDIT_TERMS"),
    ("demo", {"lastReviewedOn": {}}, "REVIEW_CREDIT_FILE"),
]


def _before_verbs(database: Any) -> None:
    """Take the database back to the revision before 0008, whatever comes after it."""
    downgrade(database.owner_url, "credit_app", "0008")
    downgrade(database.owner_url, "credit_app", "-1")


def _insert(database: Any, tenant: uuid.UUID, rows: list[tuple[str, dict[str, Any]]]) -> None:
    for mutation, changes in rows:
        database.query(
            "INSERT INTO audit_log (tenant_id, entity_type, entity_id, mutation, actor, changes) "
            "VALUES (%s, 'Customer', %s, %s, 'alice', %s::jsonb)",
            tenant,
            uuid.uuid4(),
            mutation,
            json.dumps(changes),
        )


def test_mutation_names_become_verbs_and_back(database, tenants):
    # given audit rows as the mutations wrote them, in both tenants
    _before_verbs(database)
    for tenant in tenants.values():
        _insert(database, tenant, [(m, c) for m, c, _ in STORED])
    # when the verbs migration runs
    migrate(database.owner_url, "credit_app", "0008")
    # then every row holds its verb, and every verb is one the domain knows
    verbs = database.query("SELECT action FROM audit_log ORDER BY id")
    assert [v for (v,) in verbs] == [verb for *_, verb in STORED] * 2
    assert {AuditAction(v) for (v,) in verbs}
    # and going back restores the mutation names (the demo rows take their change's name)
    _before_verbs(database)
    names = database.query("SELECT mutation FROM audit_log ORDER BY id")
    expected = [m for m, *_ in STORED[:5]] + ["setCustomerCreditTerms", "recordCreditReview"]
    assert [n for (n,) in names] == expected * 2
    migrate(database.owner_url, "credit_app")


def test_an_untranslatable_action_stops_the_upgrade(database, tenants):
    # given a row whose mutation no verb stands for
    _before_verbs(database)
    _insert(database, tenants["acme"], [("mysteryMutation", {})])
    # when the verbs migration runs, then it refuses and leaves the data as it was
    with pytest.raises(ProgrammingError, match="cannot translate"):
        migrate(database.owner_url, "credit_app", "0008")
    assert database.query("SELECT mutation FROM audit_log") == [("mysteryMutation",)]
