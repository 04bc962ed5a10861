"""`scorecard export`: files written whole, Chinese errors, exit codes of interfaces.md."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from export_support import PROVISIONAL_MONTH, YEAR, need_fonts

from scorecard.cli import main
from scorecard.exports import fonts


def _export(demo, *args) -> int:
    return main(["--config", str(demo.config_dir), "--db", str(demo.db), "export", "--year", str(YEAR), *args])


def test_writes_the_workbook(demo, tmp_path, capsys):
    out = tmp_path / "考评结果.xlsx"
    assert _export(demo, "--format", "xlsx", "--out", str(out)) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "评分明细", "说明"]
    printed = capsys.readouterr().out
    assert str(out) in printed and "年终" in printed and "演示数据" in printed
    assert [p.name for p in tmp_path.iterdir()] == [out.name]          # no partial file left behind


def test_month_gives_the_provisional_circular_and_a_folder_gets_the_default_name(demo, tmp_path, capsys):
    need_fonts()
    assert _export(demo, "--month", str(PROVISIONAL_MONTH), "--format", "docx", "--out", str(tmp_path)) == 0
    [written] = tmp_path.iterdir()
    assert written.suffix == ".docx" and "预估" in written.name and str(YEAR) in written.name
    document = docx.Document(io.BytesIO(written.read_bytes()))
    assert "预估" in document.sections[0].header.paragraphs[0].text
    assert "预估" in capsys.readouterr().out


def test_replaces_an_existing_file(demo, tmp_path):
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"old")
    assert _export(demo, "--format", "xlsx", "--out", str(out)) == 0
    assert out.read_bytes()[:2] == b"PK"


def test_missing_folder_is_a_chinese_error(demo, tmp_path, capsys):
    assert _export(demo, "--format", "xlsx", "--out", str(tmp_path / "没有" / "x.xlsx")) == 1
    err = capsys.readouterr().err
    assert "输出目录不存在" in err and "Traceback" not in err


def test_missing_font_says_what_to_install_and_writes_nothing(demo, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "没有这个字体.ttc"))
    out = tmp_path / "通报.pdf"
    assert _export(demo, "--format", "pdf", "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "fonts-noto-cjk" in err and "SCORECARD_FONT" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("args", [["--format", "png", "--out", "x.png"], ["--format", "pdf"],
                                  ["--format", "xlsx", "--out", "x.xlsx", "--month", "13"]])
def test_misuse_exits_2(demo, args, capsys):
    with pytest.raises(SystemExit) as exit_:
        _export(demo, *args)
    assert exit_.value.code == 2
    assert "错误" in capsys.readouterr().err


def test_year_without_contracts_is_a_chinese_error(demo, tmp_path, capsys):
    assert main(["--config", str(demo.config_dir), "--db", str(demo.db), "export", "--year", "1999",
                 "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "1999年没有目标责任书" in capsys.readouterr().err
