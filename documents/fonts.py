"""Small PDFs with Chinese text: each embedded CID-keyed CFF font holds only its used glyphs.

WeasyPrint subsets fonts but keeps every glyph id up to the highest one used, so a page with a
few dozen Chinese characters embeds Noto Sans CJK with some 60,000 empty glyphs: about 130 KB
of metrics and charstring offsets per font, compressed. In a CID-keyed CFF font a glyph is
found through the font's charset (CID to glyph), as the PDF specification prescribes (ISO
32000-2, 9.7.4.2), so the glyphs can be renumbered densely while the page keeps its CIDs.
HarfBuzz's subsetter does that and keeps the CIDs in the charset. Fonts of any other kind
(TrueType, name-keyed CFF) are left as they are.

Inside `dense_subsets()` (every document `documents.render` writes) WeasyPrint's own subset of
such a font, two passes over the whole 20 MB collection that keep the glyph ids, is replaced by
that one dense subset from a face kept per process: the same bytes in a fifth of the time.
The `compact_fonts` finisher then only unwraps the CFF table; for a font subset elsewhere it
compacts as before.
"""

from __future__ import annotations

import hashlib
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


def _directory(font: bytes, index: int = 0) -> dict[bytes, tuple[int, int, int]]:
    """The table directory of a font, or of face `index` of a collection (.ttc): tag to
    (checksum, offset, length)."""
    start = struct.unpack_from(">I", font, 12 + 4 * index)[0] if font[:4] == b"ttcf" else 0
    (count,) = struct.unpack_from(">H", font, start + 4)
    tables = {}
    for i in range(count):
        tag, checksum, offset, length = struct.unpack_from(">4sIII", font, start + 12 + 16 * i)
        tables[tag] = (checksum, offset, length)
    return tables


def _table(font: bytes, tag: bytes, index: int = 0) -> bytes | None:
    """One table of an OpenType font (or of one face of a collection)."""
    entry = _directory(font, index).get(tag)
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


def is_cid_keyed_cff(font: bytes, index: int = 0) -> bool:
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


def _dense(face: Any, glyphs: Iterable[int], flags: int) -> bytes | None:
    """A HarfBuzz face cut to these glyphs (and .notdef), renumbered densely; None if it cannot."""
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
        result = _subset.hb_subset_or_fail(face, plan)
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
    if _harfbuzz is None or _subset is None or font[:4] != b"OTTO" or not is_cid_keyed_cff(font):
        return None
    blob = _harfbuzz.hb_blob_create(font, len(font), MEMORY_READONLY, _ffi.NULL, _ffi.NULL)
    face = _harfbuzz.hb_face_create(blob, 0)
    try:
        return _dense(face, cids, NO_HINTING)
    finally:
        _harfbuzz.hb_face_destroy(face)
        _harfbuzz.hb_blob_destroy(blob)


class _Face:
    """A font file's face kept for subsetting, with the bytes HarfBuzz reads in place. (HarfBuzz
    can preprocess a face for faster subsets, 0.5 ms instead of 4-5 ms a font, but that holds
    about 175 MB per face of Noto Sans CJK: not worth it.)"""

    def __init__(self, font: bytes, index: int) -> None:
        self.font = font
        self.cid_keyed = is_cid_keyed_cff(font, index)
        self.blob = _harfbuzz.hb_blob_create(font, len(font), MEMORY_READONLY, _ffi.NULL, _ffi.NULL)
        self.face = _harfbuzz.hb_face_create(self.blob, index)

    def __del__(self) -> None:
        _harfbuzz.hb_face_destroy(self.face)
        _harfbuzz.hb_blob_destroy(self.blob)


MAX_FACES = 8  #: font faces kept per process; a document uses two (regular and bold)
_faces: dict[bytes, _Face] = {}
_faces_lock = threading.Lock()


def _face(font: bytes, index: int) -> _Face:
    """The kept face of this font file, keyed by its table directory: every table's checksum,
    offset and length stand for the content (hashing 20 MB per document would cost more than
    the subset it saves)."""
    directory = sorted(_directory(font, index).items())
    key = hashlib.sha256(repr((len(font), index, directory)).encode()).digest()
    with _faces_lock:
        kept = _faces.get(key)
        if kept is None:
            if len(_faces) >= MAX_FACES:
                _faces.pop(next(iter(_faces)))
            kept = _faces[key] = _Face(font, index)
        return kept


_dense_here = threading.local()
_weasyprint_subset: Any = None


def _subset_densely(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """WeasyPrint's `Font.subset`: inside `dense_subsets()` a CID-keyed CFF face is cut to its
    used glyphs in one pass (flags as the two passes and `compact_font` end up with, so the
    bytes are the same); anything else goes to WeasyPrint's own subset."""
    usable = _harfbuzz is not None and _subset is not None
    if getattr(_dense_here, "on", False) and to_unicode and usable:
        try:
            face = _face(font.file_content, font.index)
        except (struct.error, IndexError):
            face = None
        if face is not None and face.cid_keyed:
            dense = _dense(face.face, to_unicode, NO_HINTING | DESUBROUTINIZE)
            if dense is not None:
                font.file_content = dense
                _dense_here.made.append(dense)  # for `compact_fonts`: nothing left to do
                return
    _weasyprint_subset(font, to_unicode, hinting)


@contextmanager
def dense_subsets() -> Iterator[None]:
    """Within, WeasyPrint subsets Noto Sans CJK (any CID-keyed CFF font) straight to the glyphs
    a document uses, from a face kept per process (for this thread only)."""
    global _weasyprint_subset
    from weasyprint.pdf.fonts import Font

    with _faces_lock:
        if _weasyprint_subset is None:
            _weasyprint_subset = Font.subset
            Font.subset = _subset_densely
    _dense_here.on, _dense_here.made = True, []
    try:
        yield
    finally:
        _dense_here.on, _dense_here.made = False, []


def _made_dense(stream: Any) -> bool:
    """A font file that `dense_subsets()` cut in this document (its glyphs are not CIDs)."""
    made = getattr(_dense_here, "made", [])
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
