"""The engine's fence: private library APIs only in schema/engine/compat.py, the libraries
pinned to the versions it was tested with, and a fast path that is switched off by a
setting or refuses to start, never silently."""

from __future__ import annotations

import ast
import asyncio
import logging
import re
import tomllib
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

import graphql
import pytest
import strawberry
from strawberry.extensions import SchemaExtension

from infra.settings import Settings, load
from schema.build import build_schema
from schema.engine import compat
from schema.engine.compat import STANDARD, TESTED_WITH, StandardExecutor
from schema.engine.execution import LeanExecutionContext
from schema.engine.switch import FastPathRefused, executor_class

ROOT = Path(__file__).parents[2]
ENGINE = ROOT / "schema" / "engine"

#: strawberry's public modules, as its documentation imports them.
STRAWBERRY_PUBLIC = {
    "strawberry",
    "strawberry.types",
    "strawberry.extensions",
    "strawberry.scalars",
}
#: strawberry internals the engine reads, by the name it reads them under.
STRAWBERRY_INTERNALS = {
    "StrawberryGraphQLCoreExecutionContext",
    "wrapped_cls",
    "__closure__",
    "__code__",
    "co_freevars",
    "cell_contents",
}
#: graphql-core internals the engine reads: the executor's state and its collected fields.
GRAPHQL_INTERNALS = {
    "middleware_manager",
    "async_helpers",
    "defer_usage",
    "fragment_variable_values",
}
#: Builtins that read an attribute named by a string.
BY_NAME = {"getattr", "hasattr", "setattr", "delattr"}


def _graphql_private_names() -> set[str]:
    """What graphql-core marks `:meta private:` (its executor's completion methods, ...)."""
    names: set[str] = set()
    for path in Path(graphql.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                if ":meta private:" in (ast.get_docstring(node) or ""):
                    names.add(node.name)
    return names


def _offences(path: Path, private: set[str]) -> list[str]:
    tree = ast.parse(path.read_text())
    defined = {
        n.name
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    } | {
        t.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign | ast.AnnAssign)
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        if isinstance(t, ast.Attribute)
    }
    found = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                if module.split(".")[0] == "graphql" and (
                    module != "graphql" or alias.name not in graphql.__all__
                ):
                    found.append(f"{where} imports {module}.{alias.name}")
                if module.split(".")[0] == "strawberry" and module not in STRAWBERRY_PUBLIC:
                    found.append(f"{where} imports {module}.{alias.name}")
        elif isinstance(node, ast.Import):
            found += [f"{where} imports {a.name}" for a in node.names if "." in a.name]
        elif isinstance(node, ast.Attribute):
            name = node.attr
            underscored = name.startswith("_") and not name.startswith("__")
            if (underscored and name not in defined) or name in private:
                found.append(f"{where} reads .{name}")
            if name in STRAWBERRY_INTERNALS | GRAPHQL_INTERNALS:
                found.append(f"{where} reads .{name}")
        elif isinstance(node, ast.FunctionDef) and node.name in private:
            found.append(f"{where} overrides {node.name}")
        elif isinstance(node, ast.Name) and node.id in STRAWBERRY_INTERNALS:
            found.append(f"{where} uses {node.id}")
        elif isinstance(node, ast.Constant) and node.value == "strawberry-definition":
            found.append(f"{where} reads strawberry's definition back-reference")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in BY_NAME
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
        ):
            name = str(node.args[1].value)  # getattr(x, "_name"), the same read by name
            underscored = name.startswith("_") and not name.startswith("__")
            if (underscored and name not in defined) or name in private | GRAPHQL_INTERNALS:
                found.append(f"{where} reads .{name} by name")
            if name in STRAWBERRY_INTERNALS:
                found.append(f"{where} reads .{name} by name")
    return found


def test_private_library_apis_only_in_compat() -> None:
    """Outside compat.py, the engine uses graphql-core's and strawberry's public API only."""
    private = _graphql_private_names()
    assert {"execute_field", "collect_and_execute_subfields", "collect_subfields"} <= private
    modules = sorted(ENGINE.glob("*.py"))
    assert {p.name for p in modules} >= {"execution.py", "plans.py", "plan_code.py", "lazy.py"}
    offences = [o for p in modules if p.name != "compat.py" for o in _offences(p, private)]
    assert offences == []
    # the scan sees what compat.py does: it would flag it anywhere else
    assert len(_offences(ENGINE / "compat.py", private)) >= 6


def test_the_scan_sees_each_kind_of_private_use(tmp_path: Path) -> None:
    """What the engine did before its fence, one line each: every line is reported."""
    source = tmp_path / "before.py"
    lines = [
        "from graphql.type.definition import GraphQLResolveInfoHelpers",
        "from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext",
        "raw = info._raw_info",
        "default = getattr(resolve, '_is_default', False)",
        "cells = resolve.__closure__",
        "enum = getattr(type_, 'wrapped_cls', None)",
        "definition = type_.extensions.get('strawberry-definition')",
        "grouped = self.collect_subfields(return_type, field_details_list)",
        "plain = details.defer_usage is None",
        "lean = self.middleware_manager is None",
        "def execute_field(self, *args): ...",
    ]
    source.write_text("\n".join(lines) + "\n")
    offences = _offences(source, _graphql_private_names())
    reported = {int(o.split(":")[1].split()[0]) for o in offences}
    assert reported >= set(range(1, len(lines) + 1))


#: `name==version` or `name[extras]==version`, alone on a line or quoted in a TOML list.
PIN = r"(?m)^\s*\"?(?P<name>[A-Za-z0-9_.-]+)(\[[^\]]*\])?==(?P<version>[^\s\",;]+)"


def _pins(text: str) -> dict[str, str]:
    return {m["name"].lower(): m["version"] for m in re.finditer(PIN, text)}


def test_libraries_pinned_to_the_tested_versions() -> None:
    """pyproject.toml pins graphql-core and strawberry exactly, to the versions compat.py
    was written against, and those are the ones installed."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = _pins("\n".join(project["project"]["dependencies"]))
    assert {name: pins.get(name) for name in TESTED_WITH} == TESTED_WITH
    assert compat.installed_versions() == TESTED_WITH


def test_installed_packages_are_the_constraints() -> None:
    """The suite runs on exactly what constraints.txt pins (what `make install` installs):
    nothing missing, nothing else, nothing at another version."""
    pinned = _pins((ROOT / "constraints.txt").read_text())
    installed = {
        d.metadata["Name"].lower().replace("_", "-"): d.version
        for d in distributions()
        if d.metadata["Name"].lower() != "credit-platform"
    }
    pinned = {name.replace("_", "-"): v for name, v in pinned.items()}
    assert {k: v for k, v in installed.items() if pinned.get(k) != v} == {}
    assert set(pinned) == set(installed)
    assert {name: pinned[name] for name in TESTED_WITH} == TESTED_WITH


def test_setting_switches_the_engine() -> None:
    on = build_schema(Settings())
    off = build_schema(Settings(graphql_fast_path=False))
    assert on.execution_context_class is LeanExecutionContext
    assert off.execution_context_class is StandardExecutor  # strawberry's, graphql-core's path
    assert on.as_str() == off.as_str()


@pytest.mark.parametrize(("raw", "on"), [(None, True), ("on", True), ("off", False)])
def test_fast_path_setting_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, on: bool
) -> None:
    if raw is None:
        monkeypatch.delenv("GRAPHQL_FAST_PATH", raising=False)
    else:
        monkeypatch.setenv("GRAPHQL_FAST_PATH", raw)
    assert load().graphql_fast_path is on


class Wrapping(SchemaExtension):
    """Wraps every resolver, as tracing or field-level auditing extensions do."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        return _next(root, info, *args, **kwargs)


def test_a_resolving_extension_is_refused_while_the_fast_path_is_on() -> None:
    with pytest.raises(FastPathRefused, match=r"Wrapping implement `resolve`.*GRAPHQL_FAST_PATH"):
        build_schema(Settings(), (Wrapping,))
    standard = build_schema(Settings(graphql_fast_path=False), (Wrapping,))
    assert standard.execution_context_class is StandardExecutor


def test_untested_library_versions_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "schema.engine.switch.installed_versions",
        lambda: {**TESTED_WITH, "graphql-core": "3.4.0"},
    )
    with pytest.raises(FastPathRefused, match=r"3\.4\.0"):
        executor_class(True)
    assert executor_class(False) is None


@strawberry.type
class Row:
    name: str


@strawberry.type
class Query:
    @strawberry.field
    def rows(self) -> list[Row]:
        return [Row(name="a"), Row(name="b")]


def test_middleware_met_at_run_time_is_logged_once_and_takes_the_standard_path(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A schema not built by build_schema may still carry a resolving extension: the engine
    then steps aside, says so once, and the extension runs on every field."""
    seen: list[str] = []

    class Counting(SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kw: Any) -> Any:
            seen.append(info.field_name)
            return _next(root, info, *args, **kw)

    monkeypatch.setattr(compat, "_warned_middleware", False)
    plans_asked: list[str] = []
    monkeypatch.setattr(
        LeanExecutionContext,
        "complete_plain",
        lambda self, *a: plans_asked.append("plan") or STANDARD,
    )
    schema = strawberry.Schema(
        query=Query, extensions=[Counting], execution_context_class=LeanExecutionContext
    )
    with caplog.at_level(logging.WARNING, logger="credit.engine"):
        for _ in range(2):
            result = asyncio.run(schema.execute("{ rows { name } }"))
            assert result.errors is None and result.data == {"rows": [{"name": "a"}, {"name": "b"}]}
    assert seen.count("name") == 4  # the extension saw every field, both times
    assert plans_asked == []
    warnings = [r for r in caplog.records if "fast path off" in r.getMessage()]
    assert len(warnings) == 1
