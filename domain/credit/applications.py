"""Credit applications (赊销申请): what one asks for, who gives an opinion, who decides.

The source practice (seed 003 §1.1-1.2): the customer applies with its financial position,
credit record and business; an approval group of finance, sales and legal assesses it; the
credit manager decides, the customer is told promptly and an agreement is signed. The
applicant never decides (nor gives an opinion on) their own application: four eyes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from domain import texts
from domain.credit.bounds import clean_text, date_error
from domain.credit.classes import RatingClass, parse_class
from domain.errors import DomainError, ValidationFailed
from domain.money import Money, document_amount_error


class ApplicationStatus(StrEnum):
    """Where an application stands: pending until the credit manager decides."""

    PENDING = "PENDING"
    APPROVED = "APPROVED"
    COUNTER_OFFERED = "COUNTER_OFFERED"
    REJECTED = "REJECTED"


class Verdict(StrEnum):
    """The credit manager's decision."""

    APPROVE = "APPROVE"
    COUNTER_OFFER = "COUNTER_OFFER"
    REJECT = "REJECT"


#: Each verdict and the status it leaves the application in.
STATUS_OF = {
    Verdict.APPROVE: ApplicationStatus.APPROVED,
    Verdict.COUNTER_OFFER: ApplicationStatus.COUNTER_OFFERED,
    Verdict.REJECT: ApplicationStatus.REJECTED,
}


class OpinionRole(StrEnum):
    """The departments of the approval group, each giving one opinion."""

    FINANCE = "FINANCE"
    SALES = "SALES"
    LEGAL = "LEGAL"


#: The token role that may speak for each department.
ROLE_TOKENS = {
    OpinionRole.FINANCE: "finance",
    OpinionRole.SALES: "sales",
    OpinionRole.LEGAL: "legal",
}


class Recommendation(StrEnum):
    """What a department recommends."""

    SUPPORT = "SUPPORT"
    SUPPORT_WITH_CONDITIONS = "SUPPORT_WITH_CONDITIONS"
    OPPOSE = "OPPOSE"


#: seed 003 §1.2: 审批小组应包括财务、销售和法律等部门的人员 (the approval group is finance,
#: sales and legal): by default all three give their opinion before the credit manager decides.
DEFAULT_REQUIRED_OPINIONS: tuple[OpinionRole, ...] = (
    OpinionRole.FINANCE,
    OpinionRole.SALES,
    OpinionRole.LEGAL,
)
#: seed 003 §1.2 asks that the customer be told promptly (及时通知客户) without a number; the
#: platform's default: a pending application is escalated five calendar days after submission.
DEFAULT_SLA_DAYS = 5
MAX_PURPOSE = 2000  #: a purpose is a paragraph (a database CHECK mirrors it)
MAX_TEXT = 2000  #: reasons and comments likewise
MAX_REF = 100  #: a portal's own application reference
MAX_ATTACHMENTS = 20  #: statements or external records linked to one application


@dataclass(frozen=True)
class Grant:
    """Credit terms asked for or granted: a limit, optional terms template and class."""

    limit: Money
    terms_code: str | None
    valid_from: date
    valid_to: date | None
    rating_class: RatingClass | None = None

    def to_json(self) -> dict[str, Any]:
        """As stored in a decision snapshot (money as minor units and currency)."""
        return {
            "limit": {"minor": self.limit.minor, "currency": self.limit.currency},
            "termsCode": self.terms_code,
            "validFrom": self.valid_from.isoformat(),
            "validTo": self.valid_to.isoformat() if self.valid_to else None,
            "ratingClass": self.rating_class.value if self.rating_class else None,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Grant:
        """Back from a snapshot."""
        return cls(
            Money(int(raw["limit"]["minor"]), str(raw["limit"]["currency"])),
            raw.get("termsCode"),
            date.fromisoformat(raw["validFrom"]),
            date.fromisoformat(raw["validTo"]) if raw.get("validTo") else None,
            RatingClass(raw["ratingClass"]) if raw.get("ratingClass") else None,
        )

    def same_terms(self, other: Grant) -> bool:
        """Whether two grants give the same credit (a counter-offer must not)."""
        return (self.limit, self.terms_code, self.valid_to, self.rating_class) == (
            other.limit,
            other.terms_code,
            other.valid_to,
            other.rating_class,
        )


def terms_code(raw: str | None) -> str | None:
    """A payment-terms template code as stored (upper case), None when blank."""
    return (raw or "").strip().upper() or None


def check_grant(
    grant: Grant, prefix: str, errors: list[DomainError], *, today: date | None = None
) -> None:
    """A limit above zero and within the document ceiling (a job must carry it), within dates
    that make sense; with `today`, an end before it is refused, as such a grant can never be
    in force (the limit request it files would be refused). The path names the input."""
    if grant.limit.minor <= 0:
        errors.append(
            DomainError("AMOUNT_NOT_POSITIVE", "a credit limit above zero", f"{prefix}.amount")
        )
    if too_large := document_amount_error(grant.limit, f"{prefix}.amount"):
        errors.append(too_large)
    for value, field in ((grant.valid_from, "validFrom"), (grant.valid_to, "validTo")):
        problem = date_error(value, field)
        if problem:
            errors.append(problem)
    if grant.valid_to is not None and grant.valid_to < grant.valid_from:
        errors.append(DomainError("INVALID_DATE", "ends before it starts", "validTo"))
    elif (
        today is not None
        and grant.valid_to is not None
        and grant.valid_to < today
        and date_error(grant.valid_to, "validTo") is None
    ):
        errors.append(
            DomainError(
                "INVALID_PERIOD", f"ended on {grant.valid_to}, before today ({today})", "validTo"
            )
        )
    if grant.terms_code is not None and len(grant.terms_code) > texts.CODE.max_chars:
        errors.append(
            DomainError(
                "TOO_LONG", f"at most {texts.CODE.max_chars} characters", "paymentTermsCode"
            )
        )


@dataclass(frozen=True)
class CheckedApplication:
    """An application's texts after checking."""

    purpose: str
    reference: str | None


def check_application(
    grant: Grant,
    purpose: str | None,
    reference: str | None,
    statement_ids: Sequence[object],
    record_ids: Sequence[object],
    *,
    today: date | None = None,
) -> CheckedApplication:
    """Every problem of a new application at once (ValidationFailed); with `today`, one
    that has already ended is refused."""
    errors: list[DomainError] = []
    check_grant(grant, "requestedLimit", errors, today=today)
    text = clean_text(purpose, "purpose", MAX_PURPOSE, errors, required=True)
    ref = clean_text(reference, "applicationRef", MAX_REF, errors, required=False)
    for items, field in ((statement_ids, "statementIds"), (record_ids, "externalRecordIds")):
        if len(items) > MAX_ATTACHMENTS:
            errors.append(DomainError("TOO_MANY", f"at most {MAX_ATTACHMENTS}", field))
        if len(set(items)) != len(items):
            errors.append(DomainError("INVALID_INPUT", "an attachment is given twice", field))
    if errors:
        raise ValidationFailed(errors)
    assert text is not None
    return CheckedApplication(text, ref)


def sla_due_on(submitted_on: date, sla_days: int) -> date:
    """The last day an application may stay pending before it is escalated."""
    return submitted_on + timedelta(days=sla_days)


def past_sla(due_on: date, as_of: date) -> bool:
    """Whether a pending application has outlived its SLA on `as_of`."""
    return due_on < as_of


def check_opinion(
    applicant: str,
    actor: str,
    actor_roles: frozenset[str],
    role: OpinionRole,
    status: ApplicationStatus,
    given: Sequence[OpinionRole],
) -> None:
    """One opinion per department, by someone holding its role, never the applicant."""
    if status != ApplicationStatus.PENDING:
        raise DomainError("INVALID_STATUS", f"the application is {status.value.lower()}", "id")
    if actor == applicant:
        raise DomainError(
            "SELF_APPROVAL", "the applicant cannot give an opinion on their own application", "id"
        )
    if ROLE_TOKENS[role] not in actor_roles:
        raise DomainError(
            "NOT_AN_APPROVER", f"only the {ROLE_TOKENS[role]} role speaks for {role.value}", "role"
        )
    if role in given:
        raise DomainError("OPINION_GIVEN", f"{role.value} has given its opinion already", "role")


def _text(raw: Any) -> str:
    return str(raw or "").strip()


def check_decider(decider: str, applicant: str, opinions: Sequence[Mapping[str, Any]]) -> None:
    """Four eyes: neither the applicant nor anyone who gave an opinion decides (the opinions
    and the decision are two separate judgements; a snapshot before opinions named their
    givers has none to compare)."""
    if decider == applicant:
        raise DomainError(
            "SELF_APPROVAL", "the applicant cannot decide their own application", "id"
        )
    gave = [str(o["role"]) for o in opinions if o.get("givenBy") == decider]
    if gave:
        raise DomainError(
            "SAME_APPROVER",
            f"you gave the {gave[0]} opinion; another credit manager decides (four eyes)",
            "id",
        )


#: A grant's parts in the order a refusal names them, with their input fields.
_PARTS = (
    ("limit", "limit"),
    ("terms_code", "paymentTermsCode"),
    ("valid_to", "validTo"),
    ("rating_class", "ratingClass"),
)


def _changed(requested: Grant, offered: Grant, parts: Sequence[str]) -> str | None:
    """The input field of the first of `parts` in which the offer differs from the request."""
    for part, field in _PARTS:
        if part in parts and getattr(offered, part) != getattr(requested, part):
            return field
    return None


def _check_counter_offer(requested: Grant, offered: Grant) -> None:
    """A counter-offer differs from the request and never grants more credit than asked."""
    if offered.same_terms(requested):
        raise DomainError(
            "SAME_AS_REQUESTED", "a counter-offer differs from what was asked", "limit"
        )
    if offered.limit.currency != requested.limit.currency:
        raise DomainError(
            "CURRENCY_MISMATCH",
            f"a counter-offer is in the currency asked ({requested.limit.currency})",
            "limit.currency",
        )
    if offered.limit.minor > requested.limit.minor:
        raise DomainError(
            "ABOVE_REQUESTED",
            f"a counter-offer grants at most the {requested.limit.to_decimal_string()} "
            f"{requested.limit.currency} asked for",
            "limit.amount",
        )


def decide_application(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """What a decision's snapshot leads to: the status and the credit granted (pure, so the
    decision log can replay it); refuses a decision the rules do not allow."""
    status = ApplicationStatus(snapshot["status"])
    if status != ApplicationStatus.PENDING:
        raise DomainError("INVALID_STATUS", f"the application is {status.value.lower()}", "id")
    check_decider(str(snapshot["decidedBy"]), str(snapshot["applicant"]), snapshot["opinions"])
    given = {o["role"]: o["recommendation"] for o in snapshot["opinions"]}
    missing = [r for r in snapshot["requiredOpinions"] if r not in given]
    if missing:
        raise DomainError(
            "OPINIONS_MISSING", f"waiting for the opinion of {', '.join(missing)}", "id"
        )
    if not _text(snapshot.get("reason")):
        raise DomainError("REQUIRED", "a decision says why", "reason")
    verdict = Verdict(snapshot["verdict"])
    requested = Grant.from_json(snapshot["requested"])
    offered = Grant.from_json(snapshot["offered"]) if snapshot.get("offered") else None
    granted: Grant | None
    if verdict == Verdict.REJECT:
        if offered is not None:
            named = _changed(requested, offered, [p for p, _ in _PARTS]) or "limit"
            raise DomainError("INVALID_INPUT", "a rejection grants nothing", named)
        granted = None
    elif verdict == Verdict.APPROVE:
        if offered is not None and (
            differs := _changed(requested, offered, ["limit", "terms_code"])
        ):
            raise DomainError(
                "INVALID_INPUT", "an approval grants the limit and terms asked for", differs
            )
        granted = offered or requested
    else:
        if offered is None:
            raise DomainError("REQUIRED", "a counter-offer names the limit it grants", "limit")
        _check_counter_offer(requested, offered)
        granted = offered
    return {
        "outcome": STATUS_OF[verdict].value,
        "granted": granted.to_json() if granted else None,
        "opinions": dict(sorted(given.items())),
    }


def offered_grant(
    requested: Grant,
    limit: Money | None,
    code: str | None,
    valid_from: date | None,
    valid_to: date | None,
    rating_class: str | None,
    *,
    today: date | None = None,
) -> Grant | None:
    """What a decision offers, filling what it leaves out from the request (None: nothing);
    with `today`, an offer that has already ended is refused."""
    if limit is None and code is None and valid_to is None and rating_class is None:
        return None
    grant = Grant(
        limit if limit is not None else requested.limit,
        code if code is not None else requested.terms_code,
        valid_from or requested.valid_from,
        valid_to if valid_to is not None else requested.valid_to,
        parse_class(rating_class, "ratingClass") if rating_class else None,
    )
    errors: list[DomainError] = []
    check_grant(grant, "limit", errors, today=today)
    if errors:
        raise ValidationFailed(errors)
    return grant
