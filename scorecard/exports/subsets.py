"""A document's subsets of its CFF faces (Noto CJK, Source Han), cut from the CFF table alone and kept on disk.

For a CID-keyed CFF face fpdf2 subsets the whole font it holds with fontTools (every table; the horizontal and
vertical metrics of 65,535 glyphs read and cut), saves the subset font and then embeds only its CFF table, compiled
a second time. The CFF table alone decides what is embedded, so `cut` cuts it alone, with fpdf2's options, and
hands fpdf2 a font that already is its subset (`_cut_font`): fpdf2's subsetting keeps it as it is, and its CFF
table compiles to the bytes cut — the bytes fpdf2 embeds of the whole face (test:
`test_embedded_subsets_are_the_ones_fpdf2_cuts_from_the_whole_face`).

The subsets of a document are kept in the cache folder (config/cache.py's rules: a folder of the user's own,
entries written by rename, a few kept), keyed by each face's file digest and number, the glyphs it embeds and the
versions of fontTools and fpdf2: a document made again with the same text embeds them without cutting. An entry
that is damaged, foreign or lacks a glyph asked for is cut again.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from pathlib import Path

import fontTools
import fpdf
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables.DefaultTable import DefaultTable

from ..config.cache import cache_folder, read_entry, write_entry

KIND = "fonts"                  # the cache folder's sub-folder
FORMAT = 1                      # of an entry
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


def _cut(path: Path, index: int, glyphs: list[str]) -> tuple[list[str], bytes]:
    """(glyph order, CFF table) of the face's subset for `glyphs`, cut as fpdf2 cuts it, from its CFF table alone."""
    face = TTFont(path, fontNumber=index, lazy=True)
    try:
        font = TTFont(recalcBBoxes=False, recalcTimestamp=False)
        font["CFF "] = face["CFF "]
        font.setGlyphOrder(face.getGlyphOrder())
        subsetter = Subsetter(Options(**FPDF_OPTIONS))
        subsetter.populate(glyphs=glyphs)
        subsetter.subset(font)
        return font.getGlyphOrder(), font["CFF "].compile(font)
    finally:
        face.close()


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
    name = f"{_key(wanted)}.json" if cache_folder(KIND) is not None else None
    cuts = _kept(name, wanted) if name else None
    if cuts is None:
        cuts = [_cut(path, index, glyphs) for path, index, glyphs in wanted]
        if name:
            write_entry(KIND, name, json.dumps([{"order": order, "cff": base64.b64encode(data).decode("ascii")}
                                                for order, data in cuts], separators=(",", ":")))
    return [_cut_font(order, data) for order, data in cuts]
