"""Small PDFs with Chinese text: each embedded CID-keyed CFF font holds only its used glyphs.

WeasyPrint subsets fonts but keeps every glyph id up to the highest one used, so a page with a
few dozen Chinese characters embeds Noto Sans CJK with some 60,000 empty glyphs: about 130 KB
of metrics and charstring offsets per font, compressed. In a CID-keyed CFF font a glyph is
found through the font's charset (CID to glyph), as the PDF specification prescribes (ISO
32000-2, 9.7.4.2), so the glyphs can be renumbered densely while the page keeps its CIDs.
HarfBuzz's subsetter does that and keeps the CIDs in the charset. Fonts of any other kind
(TrueType, name-keyed CFF) are left as they are.

The documents `documents.render` writes are cut densely in one pass already
(`documents.font_cache`); for them the `compact_fonts` finisher only unwraps the CFF table.
"""

from __future__ import annotations

import logging
import struct
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import cffi
import pydyf

log = logging.getLogger("credit.documents")

_ffi = cffi.FFI()
_ffi.cdef("""
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_tag_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode, void *user_data,
                          void *destroy);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
hb_tag_t hb_tag_from_string(const char *str, int len);
void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
""")


def _open(*names: str) -> Any:
    for name in names:
        try:
            return _ffi.dlopen(name)
        except OSError:
            continue
    return None


_harfbuzz = _open("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")
_subset = _open("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")

MEMORY_READONLY = 1
NO_HINTING, DESUBROUTINIZE = 0x1, 0x4
SETS_DROP_TABLE_TAG = 3
#: Tables a PDF viewer never reads from an embedded font.
DROPPED_TABLES = (b"name", b"post", b"GSUB", b"GPOS", b"BASE", b"JSTF", b"DSIG")
ROS = (12, 30)  #: the CFF operator that opens the Top DICT of a CID-keyed font


def table_directory(font: bytes | memoryview, index: int = 0) -> dict[bytes, tuple[int, int, int]]:
    """The table directory of a font, or of face `index` of a collection (.ttc): tag to
    (checksum, offset, length)."""
    start = struct.unpack_from(">I", font, 12 + 4 * index)[0] if font[:4] == b"ttcf" else 0
    (count,) = struct.unpack_from(">H", font, start + 4)
    tables = {}
    for i in range(count):
        tag, checksum, offset, length = struct.unpack_from(">4sIII", font, start + 12 + 16 * i)
        tables[tag] = (checksum, offset, length)
    return tables


def _table(font: bytes | memoryview, tag: bytes, index: int = 0) -> Any:
    """One table of an OpenType font (or of one face of a collection)."""
    entry = table_directory(font, index).get(tag)
    if entry is None:
        return None
    _checksum, offset, length = entry
    return font[offset : offset + length]


def _index_item(data: bytes, at: int) -> tuple[bytes, int]:
    """The first item of a CFF INDEX starting at `at`, and where the INDEX ends."""
    (count,) = struct.unpack_from(">H", data, at)
    if count == 0:
        return b"", at + 2
    size = data[at + 2]
    offsets = [
        int.from_bytes(data[at + 3 + i * size : at + 3 + (i + 1) * size], "big")
        for i in range(count + 1)
    ]
    base = at + 2 + (count + 1) * size
    return data[base + offsets[0] : base + offsets[1]], base + offsets[-1]


def _first_operator(top_dict: bytes) -> tuple[int, ...]:
    """The first operator of a CFF DICT, skipping its operands."""
    i = 0
    while i < len(top_dict):
        b0 = top_dict[i]
        if b0 == 12:
            return (12, top_dict[i + 1])
        if b0 <= 21:
            return (b0,)
        if b0 == 28:
            i += 3
        elif b0 == 29:
            i += 5
        elif b0 == 30:  # a real number: nibbles until one is 0xf
            i += 1
            while i < len(top_dict) and 0xF not in (top_dict[i] >> 4, top_dict[i] & 0xF):
                i += 1
            i += 1
        elif b0 >= 247:
            i += 2
        else:
            i += 1
    return ()


def is_cid_keyed_cff(font: bytes | memoryview, index: int = 0) -> bool:
    """An OpenType font (or face of a collection) whose CFF table is CID-keyed (its glyphs are
    found by charset)."""
    try:
        if font[:4] not in (b"OTTO", b"ttcf"):
            return False
        cff = _table(font, b"CFF ", index)
        if cff is None:
            return False
        _name, after_names = _index_item(cff, cff[2])
        top, _end = _index_item(cff, after_names)
        return _first_operator(top) == ROS
    except (struct.error, IndexError):
        return False


def subsetting_available() -> bool:
    """HarfBuzz and its subsetter were found."""
    return _harfbuzz is not None and _subset is not None


class Face:
    """A HarfBuzz face over a font file's bytes, read in place (so kept with it)."""

    def __init__(self, font: bytes, index: int = 0) -> None:
        self.font = font
        self._blob = _harfbuzz.hb_blob_create(
            font, len(font), MEMORY_READONLY, _ffi.NULL, _ffi.NULL
        )
        self._face = _harfbuzz.hb_face_create(self._blob, index)

    def __del__(self) -> None:
        _harfbuzz.hb_face_destroy(self._face)
        _harfbuzz.hb_blob_destroy(self._blob)

    def subset(self, glyphs: Iterable[int], flags: int = NO_HINTING) -> bytes | None:
        """The font cut to these glyphs (and .notdef), renumbered densely; None if it cannot."""
        plan = _subset.hb_subset_input_create_or_fail()
        if plan == _ffi.NULL:
            return None
        try:
            wanted = _subset.hb_subset_input_glyph_set(plan)
            for glyph in {0, *glyphs}:
                _harfbuzz.hb_set_add(wanted, glyph)
            dropped = _subset.hb_subset_input_set(plan, SETS_DROP_TABLE_TAG)
            for tag in DROPPED_TABLES:
                _harfbuzz.hb_set_add(dropped, _harfbuzz.hb_tag_from_string(tag, -1))
            _subset.hb_subset_input_set_flags(plan, flags)
            result = _subset.hb_subset_or_fail(self._face, plan)
            if result == _ffi.NULL:
                return None
            out = _harfbuzz.hb_face_reference_blob(result)
            length = _ffi.new("unsigned int *")
            data = _harfbuzz.hb_blob_get_data(out, length)
            compacted = bytes(_ffi.buffer(data, length[0]))
            _harfbuzz.hb_blob_destroy(out)
            _harfbuzz.hb_face_destroy(result)
            return compacted or None
        finally:
            _subset.hb_subset_input_destroy(plan)


def compact_font(font: bytes, cids: Iterable[int]) -> bytes | None:
    """The font with only these glyphs (and .notdef), renumbered densely; None if it cannot."""
    if not subsetting_available() or font[:4] != b"OTTO" or not is_cid_keyed_cff(font):
        return None
    return Face(font).subset(cids)


#: Font files cut densely in this thread's current document (`documents.font_cache`): their
#: glyph ids are no longer CIDs, so `compact_fonts` must not cut them again.
_made_here = threading.local()


def mark_dense(font: bytes) -> None:
    """Note a font file cut densely for the document this thread is writing."""
    made: list[bytes] | None = getattr(_made_here, "fonts", None)
    if made is not None:
        made.append(font)


@contextmanager
def document_fonts() -> Iterator[None]:
    """The span of one document: fonts marked dense inside are forgotten after it."""
    _made_here.fonts = []
    try:
        yield
    finally:
        _made_here.fonts = None


def _made_dense(stream: Any) -> bool:
    """A font file cut densely for this document already (its glyph ids are not CIDs)."""
    made = getattr(_made_here, "fonts", None) or []
    return len(stream.stream) == 1 and any(stream.stream[0] is font for font in made)


def _cids(widths: Iterable[Any]) -> set[int]:
    """The CIDs a /W array lists: `start [w1 w2 ...]` or `first last w` entries."""
    items, used = list(widths), set[int]()
    i = 0
    while i < len(items):
        start, following = items[i], items[i + 1]
        if isinstance(following, list):
            used.update(range(int(start), int(start) + len(following)))
            i += 2
        else:
            used.update(range(int(start), int(following) + 1))
            i += 3
    return used


def _referenced(pdf: pydyf.PDF, reference: Any) -> Any:
    """The object an indirect reference (b"12 0 R") points to."""
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return pdf.objects[int(text.split()[0])]


def compact_fonts(_document: Any, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher: every CID-keyed CFF font file shrunk to the glyphs its fonts use."""
    used: dict[int, set[int]] = {}
    files: dict[int, Any] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/CIDFontType0":
            continue
        descriptor = _referenced(pdf, obj["FontDescriptor"])
        file_reference = descriptor.get("FontFile3")
        if file_reference is None:
            continue
        stream = _referenced(pdf, file_reference)
        files[stream.number] = stream
        used.setdefault(stream.number, set()).update(_cids(obj.get("W", [])))
        obj.pop("CIDToGIDMap", None)  # a CIDFontType2 entry: CFF fonts map through the charset
    for number, stream in files.items():
        font = b"".join(stream.stream)
        compacted = font if _made_dense(stream) else compact_font(font, used[number])
        cff = _table(compacted, b"CFF ") if compacted is not None else None
        if cff is None:
            log.debug("font %s left as embedded", number)
            continue
        stream.stream = [cff]
        stream.extra["Subtype"] = "/CIDFontType0C"
