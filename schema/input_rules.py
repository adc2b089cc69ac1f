"""Rules every input obeys before any resolver runs: dates in the platform's range, texts within
their documented limit, currency codes in upper case (`cny` is CNY).

Each text input field or argument names its domain limit (`text`, `text_arg`: the description
says "At most N characters" and the field's metadata carries the limit); every Date and
DateTime is checked against domain.dates. One field extension applies both rules to every
mutation (its refusals join the service's own as the payload's userErrors, with the input path
as the client wrote it, and nothing is committed: schema.mutation) and to every query field
with arguments (a coded BAD_USER_INPUT error), so a field added later is covered the day it is
added. The services check again what other entry points (CSV imports, jobs) hand them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache, cached_property
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.arguments import StrawberryArgumentAnnotation
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from domain import texts
from domain.dates import check_date, check_moment
from domain.errors import DomainError
from domain.texts import TextLimit
from schema.errors import bad_input

#: The metadata key under which a text field or argument names its limit.
LIMIT = "text_limit"
#: What the input rules refused in the mutation now resolving, for respond() to report with
#: the service's own refusals (a form shows every problem at once).
_REFUSED: ContextVar[tuple[DomainError, ...]] = ContextVar("input_refusals", default=())


def refusals() -> tuple[DomainError, ...]:
    """The input rules' refusals of the mutation now resolving (empty when it passed)."""
    return _REFUSED.get()


def text(description: str, limit: TextLimit, **kwargs: Any) -> Any:
    """An input field holding text: its description ends with its limit, which it carries."""
    return strawberry.field(
        description=f"{description} {texts.description(limit)}",
        metadata={LIMIT: limit},
        **kwargs,
    )


def text_arg(description: str, limit: TextLimit) -> StrawberryArgumentAnnotation:
    """A text argument: documented and checked like a text input field."""
    return strawberry.argument(
        description=f"{description} {texts.description(limit)}", metadata={LIMIT: limit}
    )


def value_errors(value: Any, path: str, limit: TextLimit | None) -> list[DomainError]:
    """Refusals of one value (an input object, a list, a date or a text) at its input path."""
    if value is None or value is strawberry.UNSET:
        return []
    if isinstance(value, list | tuple):
        return [e for n, item in enumerate(value) for e in value_errors(item, f"{path}.{n}", limit)]
    try:
        if isinstance(value, datetime):
            check_moment(value, path)
        elif isinstance(value, date):
            check_date(value, path)
        elif isinstance(value, str) and limit is not None:
            texts.check_text(value, limit, path)
    except DomainError as exc:
        return [exc]
    fields = _input_fields(type(value))
    if not fields:
        return []
    errors: list[DomainError] = []
    for python_name, graphql_name, limit in fields:
        item = getattr(value, python_name, None)
        if limit is texts.CURRENCY:
            item = normalised_currency(item)
            setattr(value, python_name, item)
        errors += value_errors(item, _join(path, graphql_name), limit)
    return errors


def normalised_currency(value: Any) -> Any:
    """A currency code (or a list of them) in its one spelling, ISO 4217's upper case: every
    input that carries the CURRENCY limit takes `cny` as CNY, and passes it on so."""
    if isinstance(value, str):
        return value.strip().upper()
    if isinstance(value, list):
        return [normalised_currency(v) for v in value]
    return value


@cache
def _input_fields(cls: type) -> tuple[tuple[str, str, TextLimit | None], ...]:
    """An input type's fields as (python name, GraphQL name, text limit), once per type: an
    import of 5,000 rows walks them 5,000 times."""
    definition = getattr(cls, "__strawberry_definition__", None)
    if not getattr(definition, "is_input", False):
        return ()
    return tuple(
        (
            field.python_name,
            field.graphql_name or to_camel_case(field.python_name),
            field.metadata.get(LIMIT),
        )
        for field in definition.fields
    )


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def argument_errors(field: StrawberryField, kwargs: dict[str, Any]) -> list[DomainError]:
    """Refusals of a field's arguments; a mutation's `input` is the root of its paths."""
    errors: list[DomainError] = []
    for argument in field.arguments:
        value = kwargs.get(argument.python_name)
        if argument.metadata.get(LIMIT) is texts.CURRENCY and value is not None:
            value = kwargs[argument.python_name] = normalised_currency(value)
        name = argument.graphql_name or to_camel_case(argument.python_name)
        root = "" if name == "input" else name
        errors += value_errors(value, root, argument.metadata.get(LIMIT))
    return errors


class InputRules(FieldExtension):
    """Refuse out-of-range dates and overlong texts before the resolver runs."""

    field: StrawberryField

    def apply(self, field: StrawberryField) -> None:
        self.field = field

    @cached_property
    def _is_mutation(self) -> bool:
        """A mutation's payload carries its capability's error catalogue (a role-gated
        mutation's payload type is optional: look inside)."""
        kind = self.field.type
        if isinstance(kind, StrawberryOptional):
            kind = kind.of_type
        return getattr(kind, "catalogue", None) is not None

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        errors = argument_errors(self.field, kwargs)
        if errors:
            raise bad_input(errors[0])
        return next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Info[Any, Any],
        **kwargs: Any,
    ) -> Any:
        errors = argument_errors(self.field, kwargs)
        if not self._is_mutation:
            if errors:
                raise bad_input(errors[0])
            return await next_(source, info, **kwargs)
        # a mutation runs its work to gather its own refusals too, and respond() never
        # commits it (schema.mutation.respond reads `refusals()`)
        token = _REFUSED.set(tuple(errors))
        try:
            return await next_(source, info, **kwargs)
        finally:
            _REFUSED.reset(token)


def checks_inputs(field: StrawberryField) -> bool:
    """Whether a field has the input rules among its extensions."""
    return any(isinstance(e, InputRules) for e in field.extensions)


def guard(field: StrawberryField) -> StrawberryField:
    """Give a field the input rules, innermost, so its permission check still runs first."""
    if field.arguments and not checks_inputs(field):
        field.extensions = [InputRules(), *field.extensions]
    return field


def guarded(description: str, **kwargs: Any) -> Any:
    """`strawberry.field` for a resolver field with arguments, the input rules applied."""
    extensions = [InputRules(), *kwargs.pop("extensions", [])]
    return strawberry.field(description=description, extensions=extensions, **kwargs)
