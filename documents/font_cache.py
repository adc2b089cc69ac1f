"""Noto Sans CJK read once per process, not once per document.

For every document WeasyPrint copies the whole font collection the text uses out of HarfBuzz
(20 MB for each of Noto Sans CJK Regular and Bold, about 13 ms each) and subsets it twice,
keeping glyph ids, before `documents.fonts.compact_fonts` cuts it a third time. Inside
`dense_subsets()`, a thread's current document, both steps of WeasyPrint's `Font` go through
here instead, for CID-keyed CFF faces only (anything else goes to WeasyPrint as before):

- the face's bytes are the copy kept per process, found by the face's table directory (read in
  place: every table's checksum, offset and length stand for the content; hashing 20 MB per
  document would cost more than the copy it saves);
- the font is cut to the used glyphs in one dense pass with the flags the three passes end
  with (no hinting, no subroutines, the same tables dropped): the same bytes in a PDF.

Both hooks replace WeasyPrint 70 functions (`pdf.fonts.Font.subset` and the
`get_hb_object_data` that `Font.__init__` calls); tests/documents/test_render_reuse.py holds
every document against WeasyPrint doing everything itself.
"""

from __future__ import annotations

import hashlib
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from documents.fonts import (
    DESUBROUTINIZE,
    NO_HINTING,
    Face,
    document_fonts,
    is_cid_keyed_cff,
    mark_dense,
    subsetting_available,
    table_directory,
)

MAX_FACES = 8  #: font faces kept per process; a document uses two (regular and bold)


class _Kept:
    """A CID-keyed CFF face kept for the process: its file's bytes and a face to subset."""

    def __init__(self, font: bytes, index: int) -> None:
        self.font = font
        self.face = Face(font, index)


_kept: dict[bytes, _Kept] = {}
_lock = threading.Lock()
_here = threading.local()
_weasyprint: dict[str, Any] = {}  #: WeasyPrint's own functions, for everything else


def _key(font: bytes | memoryview, index: int) -> bytes:
    directory = sorted(table_directory(font, index).items())
    return hashlib.sha256(repr((len(font), index, directory)).encode()).digest()


def _find(font: bytes | memoryview, index: int) -> _Kept | None:
    """The kept face of a font file's face `index`; kept now (copied once) if it is CID-keyed
    CFF and not kept yet, else None."""
    try:
        key = _key(font, index)
        with _lock:
            if key in _kept:
                return _kept[key]
        if not is_cid_keyed_cff(font, index):  # read in place too
            return None
    except (struct.error, IndexError):
        return None
    with _lock:
        if key not in _kept:
            if len(_kept) >= MAX_FACES:
                _kept.pop(next(iter(_kept)))
            _kept[key] = _Kept(bytes(font), index)
        return _kept[key]


def _face_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
    """`get_hb_object_data` as WeasyPrint's `Font.__init__` calls it: a kept face's bytes are
    not copied again."""
    if getattr(_here, "on", False) and ot_color is None:
        from weasyprint.text.ffi import ffi, harfbuzz

        blob = harfbuzz.hb_face_reference_blob(hb_object)
        try:
            length = ffi.new("unsigned int *")
            data = harfbuzz.hb_blob_get_data(blob, length)
            if data != ffi.NULL:
                kept = _find(
                    memoryview(ffi.buffer(data, length[0])), harfbuzz.hb_face_get_index(hb_object)
                )
                if kept is not None:
                    return kept.font
        finally:
            harfbuzz.hb_blob_destroy(blob)
    return _weasyprint["get_hb_object_data"](hb_object, ot_color, glyph)


def _subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """`Font.subset`: a kept face is cut to the glyphs used in one dense pass."""
    if getattr(_here, "on", False) and to_unicode and subsetting_available():
        kept = _find(font.file_content, font.index)
        dense = kept.face.subset(to_unicode, NO_HINTING | DESUBROUTINIZE) if kept else None
        if dense is not None:
            font.file_content = dense
            mark_dense(dense)  # `compact_fonts` unwraps it, without cutting it again
            return
    _weasyprint["subset"](font, to_unicode, hinting)


def _install() -> None:
    from weasyprint.pdf import fonts

    with _lock:
        if not _weasyprint:
            _weasyprint["subset"] = fonts.Font.subset
            _weasyprint["get_hb_object_data"] = fonts.get_hb_object_data
            fonts.Font.subset = _subset
            fonts.get_hb_object_data = _face_data


@contextmanager
def dense_subsets() -> Iterator[None]:
    """One document written by this thread, with the fonts read and cut as above."""
    _install()
    _here.on = True
    try:
        with document_fonts():
            yield
    finally:
        _here.on = False
