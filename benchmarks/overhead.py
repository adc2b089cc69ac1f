"""What a request costs the server beyond its resolvers: CPU per request from /proc while wrk
loads one server process, and a py-spy profile of the same load, summarised to a text file
(issue 13 asks for both, for `{ __typename }`)."""

from __future__ import annotations

import collections
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.harness import PIDS, ROOT, cpu_seconds

PROFILE_RAW = ROOT / ".bench" / "typename-profile.raw"
PROFILE_TEXT = ROOT / ".bench" / "typename-profile.txt"
PROFILE_SECONDS = 8
TOP = 25  #: frames listed in the summary, by inclusive and by own time


def cpu_per_request(url: str, load: Callable[[int], dict[str, Any]], seconds: int = 6) -> float:
    """Milliseconds of server CPU per request under `load(seconds)` (wrk's figures)."""
    pid = PIDS[url]
    before = cpu_seconds(pid)
    figures = load(seconds)
    used = cpu_seconds(pid) - before
    return round(used / max(figures["requests"], 1) * 1000, 3)


def profile(url: str, load: Callable[[int], dict[str, Any]], to: Path = PROFILE_TEXT) -> Path:
    """py-spy samples the server while `load` runs; the summary's path."""
    spy = Path(sys.executable).with_name("py-spy")
    PROFILE_RAW.parent.mkdir(exist_ok=True)
    sampler = subprocess.Popen(
        [str(spy), "record", "--rate", "500", "--format", "raw", "--nonblocking",
         "--duration", str(PROFILE_SECONDS), "--output", str(PROFILE_RAW),
         "--pid", str(PIDS[url])],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    load(PROFILE_SECONDS)
    sampler.wait(timeout=60)
    to.write_text(summarise(PROFILE_RAW.read_text()))
    return to


def _frame(raw: str) -> str:
    """`function (path/to/file.py:line)` shortened to `function (file.py:line)`."""
    name, _, where = raw.partition(" (")
    return f"{name} ({where.rsplit('/', 1)[-1]}" if where else name


def summarise(raw: str) -> str:
    """The frames holding most samples, inclusive and own, as percentages."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_frame(f) for f in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    lines = [f"{total} samples; inclusive:"]
    lines += [f"{v / total * 100:5.1f}%  {k}" for k, v in inclusive.most_common(TOP)]
    lines += ["own:"]
    lines += [f"{v / total * 100:5.1f}%  {k}" for k, v in own.most_common(TOP)]
    return "\n".join(lines) + "\n"
