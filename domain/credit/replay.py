"""Comparing a recorded decision with its recomputation: equal, or the paths that differ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Difference:
    """One value that differs: its dotted path, what was recorded, what is recomputed."""

    path: str
    recorded: Any
    recomputed: Any


def differences(recorded: Any, recomputed: Any, path: str = "") -> list[Difference]:
    """Every leaf where two JSON values disagree (a missing key counts as null)."""
    if isinstance(recorded, Mapping) and isinstance(recomputed, Mapping):
        found: list[Difference] = []
        for key in sorted(set(recorded) | set(recomputed)):
            found += differences(
                recorded.get(key), recomputed.get(key), f"{path}.{key}" if path else str(key)
            )
        return found
    if (
        isinstance(recorded, Sequence)
        and isinstance(recomputed, Sequence)
        and not isinstance(recorded, str)
        and not isinstance(recomputed, str)
    ):
        if len(recorded) != len(recomputed):
            return [Difference(path, recorded, recomputed)]
        found = []
        for n, (a, b) in enumerate(zip(recorded, recomputed, strict=True)):
            found += differences(a, b, f"{path}.{n}" if path else str(n))
        return found
    if recorded == recomputed and type(recorded) is type(recomputed):
        return []
    return [Difference(path, recorded, recomputed)]
