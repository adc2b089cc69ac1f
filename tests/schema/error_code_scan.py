"""Which refusal codes each capability can raise: read from the source, not from a list.

A capability raises what its schema package raises, and what the service modules it calls
raise with the modules of their own package and the domain rules they use (transitively):
`DomainError("CODE", ...)` calls and `NotFound(...)`. A service reaching into another
capability's package is followed only where the schema calls it directly.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Schema packages whose mutations answer with userErrors.
CAPABILITIES = (
    "customers",
    "warnings",
    "ledger",
    "collections",
    "closing",
    "configuration",
    "credit",
    "integration",
    "tenant",
    "risk",
)
#: Schema packages that answer with another capability's payloads.
ANSWERS_AS = {"statements": "collections"}


def _modules(package: Path) -> Iterator[Path]:
    yield from sorted(package.rglob("*.py")) if package.is_dir() else iter([package])


def _codes_and_imports(path: Path) -> tuple[set[str], set[str]]:
    tree = ast.parse(path.read_text())
    codes: set[str] = set()
    imports: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "DomainError" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.add(first.value)
            elif name == "NotFound":
                codes.add("NOT_FOUND")
        elif isinstance(node, ast.ImportFrom) and node.module:
            imports.add(node.module)
            imports.update(f"{node.module}.{a.name}" for a in node.names)
    return codes, imports


def _file_of(module: str) -> Path | None:
    path = ROOT / (module.replace(".", "/") + ".py")
    return path if path.exists() else None


def codes_for(capability: str) -> set[str]:
    """Every literal code the capability's schema package and what it imports can raise."""
    packages = [capability, *(k for k, v in ANSWERS_AS.items() if v == capability)]
    queue = [p for package in packages for p in _modules(ROOT / "schema" / package)]
    queue.extend([ROOT / "schema" / "mutation.py", ROOT / "schema" / "relay.py"])
    seen: set[Path] = set()
    codes: set[str] = set()
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        found, imports = _codes_and_imports(path)
        codes |= found
        here = path.relative_to(ROOT).parts
        for module in imports:
            parts = module.split(".")
            if parts[0] == "services" and here[0] == "services" and parts[:2] != list(here[:2]):
                continue  # another capability's service: its own schema declares its codes
            if parts[0] not in ("domain", "services"):
                continue
            target = _file_of(module)
            if target is not None:
                queue.append(target)
    return codes
