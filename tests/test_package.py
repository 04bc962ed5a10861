"""`scorecard package`: the meeting package (会议材料包) through the installed command, read back — every member
present under its Chinese name with zip's UTF-8 flag, and each opens (openpyxl, python-docx, pypdf, PIL)."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pypdf
import pytest
from cli_support import scorecard
from export_support import PROVISIONAL_MONTH, YEAR, need_fonts
from PIL import Image

from scorecard.records import audit
from scorecard.records.store import Records

UTF8_NAMES = 0x800
CHARTS = ("各市州总分和等次", "各市州各指标完成情况", "各市州基金可支付月数", "各市州考评等次地图", "各市州基金可支付月数地图")


@pytest.fixture(scope="module")
def package(demo, tmp_path_factory):
    need_fonts()
    out = tmp_path_factory.mktemp("package")
    run = scorecard("--config", demo.config_dir, "--db", demo.db, "package", "--year", YEAR, "--month", 12,
                    "--out", out)
    assert run.returncode == 0, run.stderr
    [written] = out.iterdir()
    return written, run.stdout


def test_the_package_holds_every_document_and_chart_under_chinese_names(package):
    path, printed = package
    assert path.name == f"{YEAR}年度失业保险目标责任制会议材料包（年终）（演示数据）.zip"
    assert str(path) in printed and "会议材料包" in printed
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        names = [m.filename for m in members]
        assert all(m.flag_bits & UTF8_NAMES for m in members)
        [xlsx] = [n for n in names if n.endswith(".xlsx")]
        [word] = [n for n in names if n.endswith(".docx")]
        [pdf] = [n for n in names if n.endswith(".pdf")]
        pngs = [n for n in names if n.endswith(".png")]
        assert len(names) == 3 + len(CHARTS)
        assert [any(chart in n for n in pngs) for chart in CHARTS] == [True] * len(CHARTS)
        assert openpyxl.load_workbook(io.BytesIO(archive.read(xlsx))).sheetnames == ["汇总", "评分明细", "说明"]
        assert "考评" in "".join(p.text for p in docx.Document(io.BytesIO(archive.read(word))).paragraphs)
        assert len(pypdf.PdfReader(io.BytesIO(archive.read(pdf))).pages) >= 2
        for name in pngs:
            image = Image.open(io.BytesIO(archive.read(name)))
            image.load()
            assert image.format == "PNG" and image.width >= 1000 and len(image.getcolors(maxcolors=1 << 20)) > 5, name


def test_the_package_is_recorded_as_an_export(package, demo):
    lines = [e for e in audit.entries(Records.beside(demo.db)) if e.action == audit.EXPORT]
    assert any("package" in (e.detail or "") for e in lines)


def test_a_provisional_month_names_its_package_so(demo, tmp_path):
    need_fonts()
    out = tmp_path / "材料.zip"
    run = scorecard("--config", demo.config_dir, "--db", demo.db, "package", "--year", YEAR,
                    "--month", PROVISIONAL_MONTH, "--out", out)
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    assert all("预估" in n for n in names if not n.endswith(".png"))
    assert all(f"{YEAR}年{PROVISIONAL_MONTH}月" in n for n in names if n.endswith(".png"))


def test_a_missing_folder_is_said_in_chinese(demo, tmp_path):
    run = scorecard("--config", demo.config_dir, "--db", demo.db, "package", "--year", YEAR,
                    "--out", tmp_path / "无此目录" / "材料.zip")
    assert run.returncode == 1 and "输出目录不存在" in run.stderr and "Traceback" not in run.stderr
