"""Count the calls of a module's function for the rest of a test (the real one still runs)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest


def count_calls(monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> list[Any]:
    """The arguments of each later call of `module.name`, in order."""
    calls: list[Any] = []
    original = getattr(module, name)

    def counting(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(module, name, counting)
    return calls
