"""A document's subsets of its CFF faces (Noto CJK, Source Han), cut from the CFF table alone and kept on disk.

For a CID-keyed CFF face fpdf2 subsets the whole font it holds with fontTools (every table; the horizontal and
vertical metrics of 65,535 glyphs read and cut), saves the subset font and then embeds only its CFF table, compiled
a second time. The CFF table alone decides what is embedded, so `cut` cuts it alone, with fpdf2's options, and
hands fpdf2 a font that already is its subset (`_cut_font`): fpdf2's subsetting keeps it as it is, and its CFF
table compiles to the bytes cut — the bytes fpdf2 embeds of the whole face (test:
`test_embedded_subsets_are_the_ones_fpdf2_cuts_from_the_whole_face`). The CFF table is decompiled once per process
(`_Decompiled`); the subsetter changes the table it cuts, so each document cuts a copy of its own.

The subsets of a document are kept in the cache folder (config/cache.py's rules: a folder of the user's own,
entries written by rename, the newest KEEP kept), keyed by each face's file digest and number, the glyphs it embeds and the
versions of fontTools and fpdf2: a document made again with the same text embeds them without cutting. An entry
that is damaged, foreign or lacks a glyph asked for is cut again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import mmap
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fontTools
import fpdf
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables.DefaultTable import DefaultTable

from ..config.cache import cache_folder, read_entry, write_entry

KIND = "fonts"                  # the cache folder's sub-folder
FORMAT = 1                      # of an entry
KEEP = 64                       # documents' entries kept (some 100-300 KB each): a circular and every city's card
FPDF_OPTIONS = {"notdef_outline": True, "recommended_glyphs": True}     # what fpdf2 subsets with (fpdf/output.py)


class _CutTable(DefaultTable):
    """A CFF table cut to a document's glyphs already. fontTools' subsetter, which fpdf2 runs on the font, keeps it
    as it is (it holds the glyphs asked for and no others), and it compiles to the bytes cut."""

    def __init__(self, data: bytes):
        super().__init__("CFF ")
        self.data = data

    def prune_pre_subset(self, font, options) -> bool:
        return True

    def closure_glyphs(self, subsetter) -> None:
        return None

    def subset_glyphs(self, subsetter) -> bool:
        return True

    def prune_post_subset(self, font, options) -> bool:
        return True

    def compile(self, ttFont) -> bytes:  # noqa: N803 — fontTools' name
        return self.data


def _cut_font(order: list[str], data: bytes) -> TTFont:
    font = TTFont(recalcBBoxes=False, recalcTimestamp=False)
    font.setGlyphOrder(order)
    font["CFF "] = _CutTable(data)
    return font


class _Window:
    """A face's CFF table read as a file: a window on the font file mapped into memory. Each document reads through
    its own window, at its own position; the pages are the system's cache of the file, shared."""

    def __init__(self, mapped: mmap.mmap, start: int, length: int):
        self.mapped, self.start, self.length, self.position = mapped, start, length, 0

    def seek(self, position: int) -> None:
        self.position = position

    def tell(self) -> int:
        return self.position

    def read(self, size: int = -1) -> bytes:
        end = self.length if size < 0 else min(self.position + size, self.length)
        data = self.mapped[self.start + self.position:self.start + end]
        self.position = max(self.position, end)
        return data


class _Pickler(pickle.Pickler):
    """Pickles a decompiled table without the file it reads from and the font it was read for."""

    def __init__(self, file, window: _Window, font: TTFont):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.left_out = {id(window): "window", id(font): "font"}

    def persistent_id(self, obj):
        return self.left_out.get(id(obj))


class _Unpickler(pickle.Unpickler):
    """A table pickled by _Pickler, reading from `window`, read for `font`."""

    def __init__(self, data: bytes, window: _Window, font: TTFont):
        super().__init__(io.BytesIO(data))
        self.given = {"window": window, "font": font}

    def persistent_load(self, pid):
        return self.given[pid]


@dataclass(frozen=True)
class _Decompiled:
    """A face's CFF table as fontTools decompiles it before subsetting — the header, the top and font dicts, the
    charset and FDSelect of every glyph, the offsets of every charstring and subroutine — once per process:
    a fifth of cutting a document's subsets. fontTools' subsetter changes the table it cuts, so each document
    gets a copy of its own (unpickled: a tenth of decompiling), its charstrings read when the subsetter asks."""

    mapped: mmap.mmap
    start: int
    length: int
    pickled: bytes

    def copy(self, font: TTFont):
        return _Unpickler(self.pickled, _Window(self.mapped, self.start, self.length), font).load()


@lru_cache(maxsize=8)
def _decompiled(path: Path, index: int) -> _Decompiled:
    face = TTFont(path, fontNumber=index, lazy=True)
    try:
        entry = face.reader.tables["CFF "]
        with open(path, "rb") as file:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    finally:
        face.close()
    window, font = _Window(mapped, entry.offset, entry.length), TTFont()
    table = newTable("CFF ")
    table.cff.decompile(window, font, isCFF2=False)
    top = table.cff[0]
    for fd in getattr(top, "FDArray", None) or [top]:          # what is read when first asked for
        getattr(fd.Private, "Subrs", None)
    top.charset, top.CharStrings, getattr(top, "FDSelect", None)
    pickled = io.BytesIO()
    _Pickler(pickled, window, font).dump(table)
    return _Decompiled(mapped, entry.offset, entry.length, pickled.getvalue())


def _cut(path: Path, index: int, glyphs: list[str]) -> tuple[list[str], bytes]:
    """(glyph order, CFF table) of the face's subset for `glyphs`, cut as fpdf2 cuts it, from its CFF table alone."""
    font = TTFont(recalcBBoxes=False, recalcTimestamp=False)
    table = font["CFF "] = _decompiled(path, index).copy(font)
    font.setGlyphOrder(table.cff[0].charset)
    subsetter = Subsetter(Options(**FPDF_OPTIONS))
    subsetter.populate(glyphs=glyphs)
    subsetter.subset(font)
    return font.getGlyphOrder(), table.compile(font)


@lru_cache(maxsize=16)
def _digest(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _key(wanted: list[tuple[Path, int, list[str]]]) -> str:
    digest = hashlib.sha256(f"{FORMAT}|{fontTools.version}|{fpdf.__version__}|{FPDF_OPTIONS}".encode())
    for path, index, glyphs in wanted:
        for part in (_digest(path), str(index), "\n".join(sorted(set(glyphs)))):
            data = part.encode("utf-8", "surrogateescape")
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _kept(name: str, wanted) -> list[tuple[list[str], bytes]] | None:
    data = read_entry(KIND, name)
    if data is None:
        return None
    try:
        entry = json.loads(data)
        cuts = [(list(item["order"]), base64.b64decode(item["cff"], validate=True)) for item in entry]
    except Exception:  # noqa: BLE001 — a damaged or foreign entry is cut again, never an error for the user
        return None
    if len(cuts) != len(wanted) or any(not all(isinstance(g, str) for g in order) or not set(glyphs) <= set(order)
                                       for (order, _), (_, _, glyphs) in zip(cuts, wanted)):
        return None
    return cuts


def cut(wanted: list[tuple[Path, int, list[str]]]) -> list[TTFont]:
    """For each (face file, face number, glyph names) of a document, a font holding the face's CFF subset of those
    glyphs, for fpdf2 to embed; kept in the cache folder, or cut now."""
    if not wanted:          # TrueType faces only (SCORECARD_FONT, AR PL UMing): fpdf2 subsets those itself
        return []
    name = f"{_key(wanted)}.json" if cache_folder(KIND) is not None else None
    cuts = _kept(name, wanted) if name else None
    if cuts is None:
        cuts = [_cut(path, index, glyphs) for path, index, glyphs in wanted]
        if name:
            write_entry(KIND, name, json.dumps([{"order": order, "cff": base64.b64encode(data).decode("ascii")}
                                                for order, data in cuts], separators=(",", ":")), keep=KEEP)
    return [_cut_font(order, data) for order, data in cuts]
