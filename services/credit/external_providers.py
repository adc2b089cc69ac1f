"""Where external credit data comes from: a provider interface, and the file drop that ships.

A real bureau can be plugged in later as another `CreditDataProvider`; nothing here pretends to
call one. The file drop reads JSON (a list of records, or {"records": [...]}) and CSV (a header
row, camelCase or snake_case names) from a directory; the caller commits the import and then
acknowledges the batches, which moves their files to `processed/` (or `rejected/` when a file
cannot be read at all). Re-reading a file that was imported but not yet moved changes nothing:
records are idempotent by their source id.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from services.credit.batches import RowResult
from services.credit.external_data import ExternalRow, import_external
from services.uow import UnitOfWork

ROW_FIELDS = tuple(f.name for f in fields(ExternalRow))
REQUIRED_FIELDS = ("customer_code", "kind", "source", "source_ref", "recorded_on")
MAX_FILE_BYTES = 5 * 1024 * 1024  #: a larger file is rejected unread


@dataclass(frozen=True)
class ProviderBatch:
    """The records of one delivery (one file), or why it could not be read."""

    name: str
    rows: tuple[ExternalRow, ...] = ()
    error: str | None = None


class CreditDataProvider(Protocol):
    """A source of external credit records (bureau, court database, news monitor ...)."""

    name: str

    def batches(self) -> Iterable[ProviderBatch]:
        """The deliveries waiting to be imported."""
        ...

    def acknowledge(self, batch: ProviderBatch, imported: bool) -> None:
        """Called after the import committed: the provider forgets (or files) the delivery."""
        ...


def _snake(name: str) -> str:
    text = name.strip().lstrip("\ufeff")
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", text)
    return re.sub(r"[\s\-]+", "_", text).lower()


def _row(raw: dict[str, Any]) -> ExternalRow:
    values = {_snake(k): v for k, v in raw.items()}
    unknown = sorted(set(values) - set(ROW_FIELDS))
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(unknown)}")
    missing = [k for k in REQUIRED_FIELDS if not str(values.get(k) or "").strip()]
    if missing:
        raise ValueError(f"missing fields: {', '.join(missing)}")
    cleaned: dict[str, Any] = {
        k: (None if v is None or str(v).strip() == "" else str(v)) for k, v in values.items()
    }
    return ExternalRow(**cleaned)


def parse_json(text: str) -> tuple[ExternalRow, ...]:
    """A JSON delivery: a list of records or an object with a `records` list."""
    data = json.loads(text)
    records = data.get("records") if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValueError('expected a list of records, or {"records": [...]}')
    return tuple(_row(r) for r in records)


def parse_csv(text: str) -> tuple[ExternalRow, ...]:
    """A CSV delivery with a header row."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows = []
    for raw in reader:
        if None in raw or any(v is None for v in raw.values()):
            raise ValueError(f"line {reader.line_num}: not as many fields as the header")
        if any((v or "").strip() for v in raw.values()):
            rows.append(_row(raw))
    return tuple(rows)


@dataclass
class FileDropProvider:
    """Reads `*.json` and `*.csv` deliveries from a directory, oldest name first."""

    directory: Path
    name: str = "file-drop"
    _read: list[ProviderBatch] = field(default_factory=list)

    def batches(self) -> Iterable[ProviderBatch]:
        out = []
        for path in sorted(self.directory.iterdir()):
            if not path.is_file() or path.suffix.lower() not in (".json", ".csv"):
                continue
            out.append(self._read_file(path))
        return out

    def _read_file(self, path: Path) -> ProviderBatch:
        if path.stat().st_size > MAX_FILE_BYTES:
            return ProviderBatch(path.name, error=f"larger than {MAX_FILE_BYTES} bytes")
        try:
            text = path.read_bytes().decode("utf-8")
            rows = parse_json(text) if path.suffix.lower() == ".json" else parse_csv(text)
        except (UnicodeDecodeError, ValueError, csv.Error) as exc:
            return ProviderBatch(path.name, error=str(exc))
        return ProviderBatch(path.name, rows)

    def acknowledge(self, batch: ProviderBatch, imported: bool) -> None:
        target = self.directory / ("processed" if imported else "rejected")
        target.mkdir(exist_ok=True)
        source = self.directory / batch.name
        if source.exists():
            source.rename(target / batch.name)


@dataclass(frozen=True)
class BatchResult:
    """One delivery's outcome: per-row results, or the reason it was rejected unread."""

    batch: ProviderBatch
    results: tuple[RowResult, ...]

    @property
    def imported(self) -> bool:
        """Whether the delivery was read (rows with errors are reported, not retried)."""
        return self.batch.error is None


async def pull(uow: UnitOfWork, provider: CreditDataProvider, today: date) -> list[BatchResult]:
    """Import every waiting delivery in the caller's unit of work (records dated after `today`
    are refused row by row). After committing, the caller passes the results to
    `acknowledge`, so a rolled-back import leaves the files in place."""
    batches: Sequence[ProviderBatch] = await asyncio.to_thread(lambda: list(provider.batches()))
    out = []
    for batch in batches:
        results: tuple[RowResult, ...] = ()
        if batch.error is None:
            results = tuple(await import_external(uow, list(batch.rows), today))
        out.append(BatchResult(batch, results))
    return out


async def acknowledge(provider: CreditDataProvider, results: Sequence[BatchResult]) -> None:
    """Tell the provider which deliveries are done (after the import committed)."""
    for result in results:
        await asyncio.to_thread(provider.acknowledge, result.batch, result.imported)
