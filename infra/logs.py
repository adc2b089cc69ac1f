"""JSON logs, one object per line, carrying the request id and tenant."""

from __future__ import annotations

import asyncio
import json
import logging
import select
import sys
import time
from typing import IO, Any

import orjson

from infra.request_context import operation_var, request_id_var, tenant_var

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
#: the largest write a pipe never interleaves with another process's (4,096 on Linux)
PIPE_BUF = getattr(select, "PIPE_BUF", 512)


class JsonFormatter(logging.Formatter):
    """Machine-readable lines for log shippers.

    Lines are cheap: the timestamp's seconds are formatted once a second, and orjson writes
    the object (a record's line cost 28 us, now 12.5 us). The API's line per request takes a
    shorter way still, without a record (`info_line`)."""

    #: (second, its formatted stamp), replaced as one value: threads may format at once
    _cached: tuple[int, str] = (-1, "")

    def timestamp(self, created: float) -> str:
        """ISO 8601 UTC with milliseconds, as every line carries it."""
        second = int(created)
        cached_second, stamp = self._cached
        if second != cached_second:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._cached = (second, stamp)
        return f"{stamp}.{int((created - second) * 1000):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        extra = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        entry = _entry(
            self.timestamp(record.created), record.levelname, record.name,
            record.getMessage(), extra,
        )  # fmt: skip
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return dumps(entry)


def _entry(ts: str, level: str, logger: str, msg: str, extra: dict[str, Any]) -> dict[str, Any]:
    """A line's object, the one shape of both ways to write it: the fixed keys (the
    request's id, tenant and operation from the context unless `extra` names the id),
    then `extra` as plain JSON values."""
    entry: dict[str, Any] = {
        "ts": ts,
        "level": level,
        "logger": logger,
        "msg": msg,
        "request_id": extra.get("request_id") or request_id_var.get(),
        "tenant": tenant_var.get(),
        "operation": operation_var.get(),
    }
    for key, value in extra.items():
        if key not in entry:
            entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
    return entry


def dumps(entry: dict[str, Any]) -> str:
    """One line's JSON: orjson, or the stdlib for what orjson cannot write."""
    try:
        return orjson.dumps(entry).decode()
    except TypeError:  # an int past 64 bits, or a str with a lone surrogate
        return json.dumps(entry, ensure_ascii=False)


class JsonHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The process's one log stream. Request lines (`info_line`) wait in `pending` until the
    event loop's current step ends, then go out together; any other record, and every flush
    (logging.shutdown at exit), writes what is pending first, so lines keep their order."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__(stream)
        self.pending: list[str] = []
        self._flush_on: asyncio.AbstractEventLoop | None = None  #: loop with a flush queued

    def add(self, line: str) -> None:
        """Queue one formatted line and make sure a flush follows this loop step."""
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # no event loop in this thread: write now
            loop = None
        with self.lock:  # type: ignore[union-attr]
            self.pending.append(line)
            if loop is None:
                self.flush()
            elif self._flush_on is not loop:  # none queued here (or on a loop since closed)
                self._flush_on = loop
                loop.call_soon(self._step_done)

    def _step_done(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self._flush_on = None
            self.flush()

    def _write_pending(self) -> None:
        """Whole lines in writes of at most PIPE_BUF bytes: several processes share one
        stderr pipe, and only a write that size is never interleaved with another's."""
        if not self.pending:
            return
        lines, self.pending = self.pending, []
        chunk: list[str] = []
        size = 0
        try:
            for line in lines:
                length = (len(line) if line.isascii() else len(line.encode())) + 1
                if chunk and size + length > PIPE_BUF:
                    self.stream.write("\n".join(chunk) + "\n")
                    self.stream.flush()
                    chunk, size = [], 0
                chunk.append(line)
                size += length
            self.stream.write("\n".join(chunk) + "\n")
        except Exception:  # as StreamHandler.emit treats a failed write: reported, not raised
            self.handleError(logging.makeLogRecord({"msg": "request lines"}))

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self._write_pending()
            super().flush()

    def emit(self, record: logging.LogRecord) -> None:
        with self.lock:  # type: ignore[union-attr]
            self._write_pending()
        super().emit(record)


#: the handler configure() installed (None until it runs)
_handler: JsonHandler | None = None


def info_line(logger: logging.Logger, msg: str, fields: dict[str, Any]) -> None:
    """`logger.info(msg, extra=fields)` for the API's line per request, built without a
    LogRecord and written with its loop step's other lines (the ordinary way cost a
    `{ __typename }` 13-15% more CPU)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    handler = _handler
    if (
        handler is None
        or type(handler.formatter) is not JsonFormatter
        or handler.level > logging.INFO
        or not fields.keys().isdisjoint(_STANDARD)  # logging refuses these: let it say so
        or not _plain_route(logger, handler)
    ):
        logger.info(msg, extra=fields)  # something else may see the record: a real one
        return
    stamp = handler.formatter.timestamp(time.time())
    handler.add(dumps(_entry(stamp, "INFO", logger.name, msg, fields)))


def _plain_route(logger: logging.Logger, handler: JsonHandler) -> bool:
    """True when a record from `logger` would pass no filter and reach only `handler`."""
    if handler.filters:
        return False
    node: logging.Logger | None = logger
    while node is not None:
        if node.filters:
            return False
        if node.parent is None:  # the root
            return len(node.handlers) == 1 and node.handlers[0] is handler
        if node.handlers or not node.propagate:
            return False
        node = node.parent
    return False


def configure(level: str = "INFO", stream: IO[str] | None = None) -> None:
    """Route every logger (uvicorn's too) through the JSON formatter, to stderr unless told."""
    global _handler
    # No line carries the caller's file, thread or process (the formatter leaves them out),
    # so records need not look them up: the logging HOWTO's "Optimization" settings.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # no stack walk per record
    if _handler is not None:
        _handler.flush()
    handler = JsonHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    _handler = handler
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    # WeasyPrint and fontTools narrate every render (fonts, subsetting) at INFO: keep the
    # platform's own lines readable
    for chatty in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
