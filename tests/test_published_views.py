"""After publication the pages and documents show the published result (issue 13 §4): the result is kept whole and
read back equal; a later import changes neither the page, the 通报 nor the xlsx; the 发布后变动 panel names the
city, the figure and the import; publishing again from the page keeps both versions, each of which opens; a 市州
user sees the published ranking; a publication made in another process is seen by the running app."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import docx
import openpyxl
import pytest

from decisions_support import imported_example, run
from page_support import goto, page_text, table_with
from scorecard.assessment.fingerprint import input_fingerprint
from scorecard.assessment.results import Published
from scorecard.assessment.scoring import score_year
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.records import audit
from scorecard.records.store import Records
from scorecard.report import archive
from scorecard.report.archive import ArchiveError
from test_publication import changed_december

CHANGCHUN = "220100"


def test_every_demo_result_is_kept_whole_and_read_back_equal(config, demo_db):
    store = Store(demo_db)
    for year in config.years():
        for month in range(1, 13):
            result = score_year(config, store, year, month)
            inputs = input_fingerprint(config, store, result)
            back = archive.load(archive.dump(result, inputs), "第1号")
            assert back.publication == Published("第1号", inputs)
            assert dataclasses.replace(back, publication=None) == result, (year, month)


@pytest.mark.parametrize("kept", [
    "not json", "[]", '{"format": 99, "result": {}}', '{"format": 1, "result": {"year": "2003"}}',
    '{"format": 1}',
])
def test_a_damaged_archive_is_refused_in_chinese(kept):
    with pytest.raises(ArchiveError, match="保存的考评结果无法读出"):
        archive.load(kept, "第1号")


def test_an_archive_names_no_rule_that_is_not_registered(config, demo_db):
    result = score_year(config, Store(demo_db), 2003, 12)
    text = archive.dump(result, input_fingerprint(config, Store(demo_db), result))
    data = json.loads(text)
    data["result"]["cities"][0]["indicators"][0]["method"]["rule"] = "os.system"
    with pytest.raises(ArchiveError):
        archive.load(json.dumps(data), "第1号")


@pytest.fixture
def example(example_dir, records_url, monkeypatch, cli, tmp_path):
    return imported_example(cli, example_dir, records_url, monkeypatch, tmp_path)


def _xlsx_values(path) -> list[list]:
    book = openpyxl.load_workbook(path)
    return [[cell for row in sheet.iter_rows(values_only=True) for cell in row] for sheet in book.worksheets]


def _without_time(sheets: list[list]) -> list[list]:
    """The workbook's values but the time it was made (its 说明 sheet's 生成时间)."""
    return [[v for v in values if not isinstance(v, dt.datetime)] for values in sheets]


def _docx_text(path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _documents(cli, example, folder, *extra):
    folder.mkdir()
    for kind in ("xlsx", "docx"):
        done = run(cli, example, "export", "--year", 2003, "--month", 12, "--format", kind,
                   "--out", folder / f"通报.{kind}", *extra)
        assert done.code == 0, done.err
    return _xlsx_values(folder / "通报.xlsx"), _docx_text(folder / "通报.docx")


def test_documents_show_the_published_result_whatever_is_imported_later(cli, example, tmp_path):
    computed = _documents(cli, example, tmp_path / "computed")
    assert run(cli, example, "publish", "--year", 2003, "--reason", "年终考评会议审定").code == 0
    published_xlsx, published_docx = _documents(cli, example, tmp_path / "published")
    assert "本结果为2003年度第1号发布（年终考评结果" in published_docx
    assert published_xlsx != computed[0]   # the workbook cites the publication too

    assert run(cli, example, "import", changed_december(tmp_path)).code == 0
    after = _documents(cli, example, tmp_path / "after")
    assert _without_time(after[0]) == _without_time(published_xlsx)
    assert after[1] == published_docx

    assert run(cli, example, "publish", "--year", 2003, "--reason", "长春市12月报表更正后重新发布").code == 0
    second = _documents(cli, example, tmp_path / "second")
    assert second != after and "第2号发布" in second[1]
    first_again = _documents(cli, example, tmp_path / "first", "--publication", 1)
    assert _without_time(first_again[0]) == _without_time(after[0]) and first_again[1] == after[1]


@pytest.fixture
def pages(example_dir, cli, monkeypatch, tmp_path, open_app):
    folder, db = imported_example(cli, example_dir, f"sqlite:///{tmp_path / 'unused.sqlite'}", monkeypatch, tmp_path)
    monkeypatch.delenv("SCORECARD_RECORDS_URL")

    def open_(page="assessment", as_="省级"):
        app = open_app(folder / "config", db, {"year": "2003", "month": "12"}, as_=as_)
        return goto(app, page)

    return open_, (folder, db)


def _total_of(app, city="长春市") -> str:
    shown = table_with(app, "总分")
    return shown.loc[shown["市州"] == city, "总分"].iloc[0]


def test_the_page_shows_the_published_result_and_what_changed_since(pages, cli, tmp_path):
    open_, example = pages
    before = open_()
    assert "已发布" not in page_text(before)
    total = _total_of(before)

    assert run(cli, example, "publish", "--year", 2003, "--reason", "年终考评会议审定").code == 0
    assert run(cli, example, "import", changed_december(tmp_path)).code == 0
    app = open_()
    assert not app.exception, [e.value for e in app.exception]
    text = page_text(app)
    assert "已发布" in text and "本结果为2003年度第1号发布" in text
    assert _total_of(app) == total
    changes = table_with(app, "发布时")
    rows = changes[changes["市州"] == "长春市"].set_index("项目")
    assert rows.loc["新增参保人数完成值", "现在"].endswith("人")   # in the indicator's unit
    assert rows.loc["总分", "发布时"] == f"{total}分"
    assert "第2次导入（长春市12月重报.csv" in text

    [reason] = [t for t in app.text_input if "理由" in t.label]
    reason.set_value("长春市12月报表更正后重新发布")
    [again] = [b for b in app.button if b.label == "再次发布"]
    again.click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "已发布：2003年度第2号发布" in page_text(app)
    assert _total_of(app) != total
    [line] = [e for e in audit.entries(Records.beside(example[1])) if e.action == audit.PUBLISH
              and "第2号" in (e.target or "")]
    assert line.who.startswith("test")

    [version] = [s for s in app.selectbox if s.label == "本页显示的版本"]
    version.set_value(1).run()
    assert not app.exception, [e.value for e in app.exception]
    assert _total_of(app) == total and "本结果为2003年度第1号发布" in page_text(app)


def test_a_city_user_sees_the_published_ranking(pages, cli, tmp_path):
    open_, example = pages
    open_("ranking", as_=("市州", "220400"))  # the test's own records from here on (conftest.own_records)
    assert run(cli, example, "publish", "--year", 2003, "--reason", "年终考评会议审定").code == 0
    published = open_("ranking", as_=("市州", "220400"))
    assert run(cli, example, "import", changed_december(tmp_path)).code == 0
    app = open_("ranking", as_=("市州", "220400"))
    assert not app.exception, [e.value for e in app.exception]
    assert _total_of(app) == _total_of(published)
    assert "本结果为2003年度第1号发布" in page_text(app)
    assert "发布后变动" not in page_text(app)  # the reasons name every city's imports: not shown to a city


def test_a_publication_made_in_another_process_shows_on_the_next_run(pages, cli):
    open_, example = pages
    app = open_()
    assert "已发布" not in page_text(app)
    assert run(cli, example, "publish", "--year", 2003, "--reason", "年终考评会议审定").code == 0
    app.run()   # the same session, no restart: the records' generation is part of every cache key
    assert "本结果为2003年度第1号发布" in page_text(app)


def test_a_sign_in_or_a_download_does_not_make_results_stale(example, records_url):
    _, db = example
    records = Records(records_url)
    before = audit.generation(records)
    for action in (audit.SIGN_IN, audit.EXPORT, audit.DENIED):
        audit.record(records, audit.Actor("zhang"), action)
    assert audit.generation(records) == before
    audit.record(records, audit.Actor("zhang"), audit.DECISION)
    assert int(audit.generation(records)) == int(before) + 1
