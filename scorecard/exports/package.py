"""会议材料包: the documents of the year-end assessment meeting in one zip for a year and month — the Excel
考评表, the Word 通报, the PDF 通报和单位考评卡 and the charts as PNG (totals, each indicator's status, the fund's
capacity, the maps of grades and of the fund) — under Chinese names, stored with zip's UTF-8 flag so that
Windows' own unzip shows them.

For 2,800 units the documents take some 20 s of CPU one after the other; from `PARALLEL_FROM` units on they are
built side by side in worker processes (workers.py: the PDF in one, the workbook, the charts and the Word
document in the other on two cores). Below it, the nine cities of a province take about a second here, less
than sending the year to a worker and back would save."""

from __future__ import annotations

import io
import zipfile

from ..assessment.results import YearResult
from ..config import Config
from ..data.store import Store
from ..report import geography
from . import Format, _offer, export, export_file_name, workers
from .chart import totals_png
from .content import file_name
from .figures import capacity_bars_png, map_png, status_png
from .fonts import find_fonts

DOCUMENT = "会议材料包"
PACKAGE_FORMAT = Format("会议材料包（压缩包，含图表）", DOCUMENT, "application/zip")
PARALLEL_FROM = 100     # units from which the parts are built in worker processes


def package_file_name(result: YearResult) -> str:
    return file_name(result, "zip", DOCUMENT)


CHARTS = {   # part → what its file name says after the year and month, and how it is drawn (None: nothing to show)
    "图1": ("各市州总分和等次", lambda result, config, fonts: totals_png(result, config, fonts, width_inches=8.0)),
    "图2": ("各市州各指标完成情况", lambda result, config, fonts: status_png(result, fonts)),
    "图3": ("各市州基金可支付月数", lambda result, config, fonts: capacity_bars_png(result, fonts)),
    "图4": ("各市州考评等次地图", lambda result, config, fonts: map_png(
        geography.grades_map(list(result.cities), config.cities, result.rules.grades),
        f"{result.year}年度各市州考评等次（截至{result.month}月）", fonts)),
    "图5": ("各市州基金可支付月数地图", lambda result, config, fonts: map_png(
        geography.fund_map(list(result.fund), config.cities, result.rules.warning),
        f"{result.year}年{result.month}月各市州失业保险基金可支付月数", fonts)),
}
ORDER = ("xlsx", "docx", "pdf", *CHARTS)                            # of the members in the zip
PARTS = ("pdf", "xlsx", "图3", "docx", "图1", "图2", "图4", "图5")   # the longest first (2,800 units: 14.5,
                                                                    # 7, 6.5, 1.7 CPU-s …): each free worker takes the next


def chart(key: str, result: YearResult, config: Config) -> dict[str, bytes]:
    """One chart of the package by its file name, or nothing when it has nothing to show (e.g. a map without
    boundaries)."""
    title, draw = CHARTS[key]
    png = draw(result, config, find_fonts())
    return {} if png is None else {f"{key} {result.year}年{result.month}月{title}.png": png}


def part(kind: str, result: YearResult, config: Config, store: Store) -> dict[str, bytes]:
    """One part of the package (a document of exports.FORMATS, or a chart), its members by file name."""
    if kind in CHARTS:
        return chart(kind, result, config)
    return {export_file_name(kind, result): export(kind, result, config, store)}


def parts(result: YearResult, config: Config, store: Store) -> list[workers.Built]:
    """The parts, each with the process that built it: in workers from PARALLEL_FROM units, else here."""
    build = workers.run if len(result.cities) >= PARALLEL_FROM else workers.here
    return build(part, PARTS, (result, config, store))


def zipped(built: list[workers.Built]) -> bytes:
    by_kind = {b.kind: b.members for b in built}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in ORDER:
            for name, data in by_kind[kind].items():
                archive.writestr(name, data)   # a non-ASCII name gets the UTF-8 flag (0x800) from zipfile itself
    return buffer.getvalue()


def meeting_package(result: YearResult, config: Config, store: Store) -> bytes:
    """The zip's bytes. Raises FontError (what to install) on a machine without a CJK font, BuildError when a
    worker process died or took too long."""
    return zipped(parts(result, config, store))


def package_download(result: YearResult, config: Config, store: Store) -> dict:
    """The package to offer, built when asked for (see exports.download)."""
    return _offer(PACKAGE_FORMAT, lambda: meeting_package(result, config, store), package_file_name(result))
