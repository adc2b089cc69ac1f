"""Reading an uploaded CSV as people export it: UTF-8 (with or without Excel's BOM), else
GB18030 (Excel's default on Chinese Windows, a superset of GBK); comma, semicolon or tab
separated; sent as the raw body or as the file field of a multipart form."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

#: separators a header line is sniffed for, in the order a tie is broken
DELIMITERS = (",", ";", "\t")
#: the form field a multipart upload names its file by (else its only file is taken)
FILE_FIELD = "file"


class UnreadableCsv(Exception):
    """The bytes are not a text file in an encoding we read."""


@dataclass(frozen=True, slots=True)
class CsvText:
    """The decoded text, the encoding it was read in and the separator its header uses."""

    text: str
    encoding: str
    delimiter: str


class Rows(Protocol):
    """A CSV reader: the rows as lists of fields, and the line it has read up to."""

    @property
    def line_num(self) -> int: ...  # the line the reader has read up to

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


def decode(body: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="strict"), "UTF-8"
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        try:
            return body.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise UnreadableCsv(f"not UTF-16 at byte {exc.start}") from None
    try:
        return body.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as utf8:
        try:
            return body.decode("gb18030"), "GB18030"
        except UnicodeDecodeError:
            raise UnreadableCsv(
                f"neither UTF-8 (invalid at byte {utf8.start}) nor GBK/GB18030: "
                "save the file as CSV UTF-8 or as CSV from a Chinese Excel"
            ) from None


def sniff_delimiter(text: str) -> str:
    """The separator the header line uses most (outside quotes); a comma when it uses none."""
    header = text.split("\n", 1)[0]
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read(body: bytes) -> CsvText:
    """Decode the upload and sniff its separator, or UnreadableCsv saying why."""
    text, encoding = decode(body)
    return CsvText(text, encoding, sniff_delimiter(text))


def table(body: bytes) -> tuple[CsvText, Rows]:
    """The upload read as text and a strict CSV reader over it with the sniffed separator
    (its `line_num` names the line for an error); UnreadableCsv when the bytes are not text we
    read, or hold a NUL, which PostgreSQL text cannot store."""
    read_as = read(body)
    if "\x00" in read_as.text:  # GraphQL refuses it the same way
        raise UnreadableCsv(f"NUL (U+0000) character at offset {read_as.text.index(chr(0))}")
    text = io.StringIO(read_as.text, newline="")
    rows: Rows = csv.reader(text, delimiter=read_as.delimiter, strict=True)
    return read_as, rows


def why_columns_missing(
    header: list[str], known: tuple[str, ...], found: list[str], read_as: CsvText
) -> str:
    """The true reason a header lacks required columns: a wrong separator or encoding, a
    missing header row, or (only when the header is otherwise readable) the missing names."""
    missing = [c for c in known if c not in found]
    if len(header) == 1 and any(sep in header[0] for sep in ("|", ",", ";", "\t")):
        return (
            f"the header is one column ({header[0][:60]!r}): separate the columns with "
            "commas, semicolons or tabs"
        )
    if not set(found) & set(known):
        if read_as.encoding == "GB18030":
            return (
                "the file is not UTF-8 and, read as GBK/GB18030, its first line names no "
                f"known column: save it as CSV UTF-8 (expected {', '.join(known)})"
            )
        return (
            "the first line is not a header: it names no known column "
            f"(expected {', '.join(known)})"
        )
    return f"missing columns: {', '.join(missing)}"


async def upload_bytes(request: Request, body: bytes) -> bytes:
    """The file's bytes: the raw body, or the file field of a multipart form (parsed from the
    body already read under the size limit, so the form parser never streams more)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return body
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, receive).form(max_files=1, max_fields=20)
    except Exception as exc:  # starlette raises its own parse errors: all mean a bad form
        raise UnreadableCsv(f"not a readable multipart form: {exc}") from None
    files = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
    named = form.get(FILE_FIELD)
    upload = named if isinstance(named, UploadFile) else (files[0] if files else None)
    if upload is None:
        raise UnreadableCsv(f"the multipart form has no file (send it as field {FILE_FIELD!r})")
    content = await upload.read()
    await form.close()
    return content
