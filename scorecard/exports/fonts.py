"""The CJK fonts the PDF embeds and the charts are drawn with.

Looked up once per process: the file named by the environment variable SCORECARD_FONT, else
Debian's fonts-noto-cjk (Noto Serif CJK for the body and titles, Noto Sans CJK as 黑体 for
headings), else other common Chinese fonts. Inside a .ttc collection the Simplified Chinese face
is chosen by its name. Without any font that has the Chinese glyphs the export stops with a
message saying what to install, instead of printing boxes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_ENV = "SCORECARD_FONT"
# Characters every document prints; a font lacking any of them would show boxes.
PROBE = "失业保险目标责任制考评通报市州优秀良好合格〔〕（）：；、—"

_NOTO = (Path("/usr/share/fonts/opentype/noto"),          # Debian, Ubuntu: fonts-noto-cjk
         Path("/usr/share/fonts/noto-cjk"),                # Arch
         Path("/usr/share/fonts/google-noto-cjk"))         # Fedora
SERIF = [d / "NotoSerifCJK-Regular.ttc" for d in _NOTO] + [
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("C:/Windows/Fonts/simfang.ttf"), Path("C:/Windows/Fonts/simsun.ttc"),
    Path("/System/Library/Fonts/Supplemental/Songti.ttc")]
SERIF_BOLD = [d / "NotoSerifCJK-Bold.ttc" for d in _NOTO]
SANS = [d / "NotoSansCJK-Regular.ttc" for d in _NOTO] + [
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), Path("C:/Windows/Fonts/simhei.ttf"),
    Path("/System/Library/Fonts/STHeiti Medium.ttc")]

INSTALL_HINT = ("请安装中文字体：Debian/Ubuntu 运行 sudo apt-get install fonts-noto-cjk"
                f"（其他系统安装“思源宋体/Noto Serif CJK”），或设置环境变量 {FONT_ENV} 指向一个中文字体文件"
                "（.ttf、.otf 或 .ttc）")


class FontError(Exception):
    """No usable CJK font; the message (in Chinese) says what to install."""


@dataclass(frozen=True)
class Face:
    path: Path
    index: int      # face number inside a .ttc/.otc collection, 0 for a single font
    family: str


@dataclass(frozen=True)
class Fonts:
    body: Face      # 宋体/仿宋-like serif for the text
    bold: Face      # titles (小标宋-like)
    heading: Face   # 黑体-like headings and table headers


def _simplified_chinese_face(path: Path) -> Face | None:
    """The face of the file that covers PROBE, preferring the Simplified Chinese one of a collection."""
    from fontTools.ttLib import TTCollection, TTFont

    collection = path.suffix.lower() in (".ttc", ".otc")
    try:
        opened = TTCollection(str(path), lazy=True) if collection else TTFont(str(path), lazy=True)
    except Exception:  # not a font file, unreadable, truncated
        return None
    try:
        candidates = []
        for index, font in enumerate(opened.fonts if collection else [opened]):
            name = font["name"]
            family = name.getDebugName(16) or name.getDebugName(1) or path.stem
            zh_cn = any(r.langID == 0x804 for r in name.names) or family.endswith((" SC", " CN"))
            candidates.append((not zh_cn, index, family, font))
        for _, index, family, font in sorted(candidates, key=lambda c: c[:2]):
            cmap = font.getBestCmap() or {}
            if all(ord(ch) in cmap for ch in PROBE):
                return Face(path, index, family)
        return None
    except Exception:  # a damaged table
        return None
    finally:
        opened.close()


def _first(paths) -> Face | None:
    for path in paths:
        if path.is_file():
            face = _simplified_chinese_face(path)
            if face:
                return face
    return None


@lru_cache(maxsize=4)
def _find(override: str | None) -> Fonts:
    if override:
        face = _simplified_chinese_face(Path(override)) if Path(override).is_file() else None
        if face is None:
            raise FontError(f"环境变量 {FONT_ENV} 指向的“{override}”不存在或不是含中文字形的字体文件。{INSTALL_HINT}")
        return Fonts(face, face, face)
    body = _first(SERIF) or _first(SANS)
    if body is None:
        raise FontError(f"未找到中文字体，无法生成含中文的PDF和图表。{INSTALL_HINT}")
    return Fonts(body, _first(SERIF_BOLD) or body, _first(SANS) or body)


def find_fonts() -> Fonts:
    """The fonts to use, or FontError with what to install."""
    return _find(os.environ.get(FONT_ENV) or None)
