"""会议材料包: the documents of the year-end assessment meeting in one zip for a year and month — the Excel
考评表, the Word 通报, the PDF 通报和单位考评卡 and the charts as PNG (totals, each indicator's status, the fund's
capacity, the maps of grades and of the fund) — under Chinese names, stored with zip's UTF-8 flag so that
Windows' own unzip shows them."""

from __future__ import annotations

import io
import zipfile

from ..assessment.results import YearResult
from ..config import Config
from ..data.store import Store
from ..report import geography
from . import Format, _offer, circular_docx, circular_pdf, export_file_name, workbook
from .chart import totals_png
from .content import file_name
from .figures import capacity_bars_png, map_png, status_png
from .fonts import find_fonts

DOCUMENT = "会议材料包"
PACKAGE_FORMAT = Format("会议材料包（压缩包，含图表）", DOCUMENT, "application/zip")


def package_file_name(result: YearResult) -> str:
    return file_name(result, "zip", DOCUMENT)


def charts(result: YearResult, config: Config) -> dict[str, bytes]:
    """The charts of the package, by file name (one that has nothing to show, e.g. a map without boundaries, is
    left out)."""
    fonts = find_fonts()
    stem = f"{result.year}年{result.month}月"
    cities, statuses = list(result.cities), list(result.fund)
    drawn = {
        f"图1 {stem}各市州总分和等次.png": totals_png(result, config, fonts, width_inches=8.0),
        f"图2 {stem}各市州各指标完成情况.png": status_png(result, fonts),
        f"图3 {stem}各市州基金可支付月数.png": capacity_bars_png(result, fonts),
        f"图4 {stem}各市州考评等次地图.png": map_png(
            geography.grades_map(cities, config.cities, result.rules.grades),
            f"{result.year}年度各市州考评等次（截至{result.month}月）", fonts),
        f"图5 {stem}各市州基金可支付月数地图.png": map_png(
            geography.fund_map(statuses, config.cities, result.rules.warning),
            f"{result.year}年{result.month}月各市州失业保险基金可支付月数", fonts),
    }
    return {name: png for name, png in drawn.items() if png is not None}


def meeting_package(result: YearResult, config: Config, store: Store) -> bytes:
    """The zip's bytes. Raises FontError (what to install) on a machine without a CJK font."""
    members = {export_file_name("xlsx", result): workbook(result, config, store),
               export_file_name("docx", result): circular_docx(result, config),
               export_file_name("pdf", result): circular_pdf(result, config),
               **charts(result, config)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)   # a non-ASCII name gets the UTF-8 flag (0x800) from zipfile itself
    return buffer.getvalue()


def package_download(result: YearResult, config: Config, store: Store) -> dict:
    """The package to offer, built when asked for (see exports.download)."""
    return _offer(PACKAGE_FORMAT, lambda: meeting_package(result, config, store), package_file_name(result))
