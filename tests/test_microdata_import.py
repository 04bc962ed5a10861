"""Importing person records through the installed `scorecard records import`: the key, all or nothing with
Chinese row errors, CSV in UTF-8 or GB18030 and Parquet, the keyed hash, supersession and results as of an
import, the audit line."""

from __future__ import annotations

import pandas as pd

from tests.cli_support import audit_lines
from tests.microdata_support import CASES, RecordsPlace, copy_case, month_row, place

CHANGCHUN = "220100"
CLAIMS = CASES / "timeliness" / "申领.csv"
PAYMENTS = CASES / "timeliness" / "发放.csv"


def test_without_a_key_nothing_is_imported_and_the_message_says_how_to_make_one(tmp_path):
    where = place(tmp_path)
    done = where.run("import", CLAIMS, key=tmp_path / "nowhere.key")
    assert done.returncode == 1
    assert "scorecard records key --new" in done.stderr and "SCORECARD_PERSON_KEY" in done.stderr
    assert not where.persons.exists()


def test_the_command_makes_a_key_outside_the_data_folder_only(tmp_path):
    where = RecordsPlace(tmp_path)
    made = where.run("key", "--new", "--out", where.key)
    assert made.returncode == 0 and len(where.key.read_text().strip()) == 64
    assert (where.key.stat().st_mode & 0o077) == 0
    inside = where.db.parent / "person.key"
    made = where.run("key", "--new", "--out", inside)
    assert made.returncode == 1 and "数据目录" in made.stderr and not inside.exists()
    before = where.key.read_text()
    again = where.run("key", "--new", "--out", where.key)
    assert again.returncode == 1 and "已存在" in again.stderr
    assert where.key.read_text() == before


def test_one_bad_check_digit_refuses_every_file_with_its_row(tmp_path):
    where = place(tmp_path)
    files = copy_case("timeliness", tmp_path / "in")
    claims = tmp_path / "in" / "申领.csv"
    lines = claims.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("220102196203030020", "220102196203030021")   # 李四: the last digit off by one
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = where.import_(*files)
    assert done.returncode == 1
    assert "申领.csv：第3行：身份证号校验位错误" in done.stderr
    assert "所有文件都未导入" in done.stderr
    assert not where.persons.exists()


def test_a_refused_import_leaves_earlier_imports_as_they_were(tmp_path):
    where = place(tmp_path)
    where.imported(CLAIMS)
    bad = tmp_path / "发放.csv"
    bad.write_text(PAYMENTS.read_text(encoding="utf-8").replace("2003-03-18", "2003-13-18"), encoding="utf-8")
    done = where.import_(PAYMENTS.parent / "申领.csv", bad)
    assert done.returncode == 1
    assert "发放.csv：第6行：实发日期应为日期（如2003-01-31），现在是“2003-13-18”" in done.stderr
    assert where.rows("SELECT count(*) FROM person_imports") == [(1,)]
    assert where.rows("SELECT count(*) FROM claims") == [(10,)]
    assert where.rows("SELECT count(*) FROM payments") == [(0,)]


def test_payments_of_an_unknown_claim_and_repeated_keys_are_row_errors(tmp_path):
    where = place(tmp_path)
    payments = tmp_path / "发放.csv"
    text = PAYMENTS.read_text(encoding="utf-8")
    payments.write_text(text + "Z,2003-03,2003-03-10,2003-03-10,240,240,\nA,2003-03,2003-03-10,2003-03-11,240,240,\n",
                        encoding="utf-8")
    done = where.import_(CLAIMS, payments)
    assert done.returncode == 1
    assert "发放.csv：第12行：申领编号“Z”没有对应的失业保险金申领记录" in done.stderr
    assert "发放.csv：第13行：与发放.csv第2行的申领编号、发放月份相同" in done.stderr


def test_gb18030_csv_and_parquet_give_the_same_hashes_as_utf8(tmp_path):
    utf8 = place(tmp_path / "a")
    utf8.imported(CLAIMS)
    gb = tmp_path / "gb" / "申领.csv"
    gb.parent.mkdir()
    gb.write_bytes(CLAIMS.read_text(encoding="utf-8").encode("gb18030"))
    parquet = tmp_path / "pq" / "claims.parquet"
    parquet.parent.mkdir()
    pd.read_csv(CLAIMS, dtype=str).to_parquet(parquet)
    other = place(tmp_path / "b")
    other.key.write_text(utf8.key.read_text())        # the same key
    done = other.import_(gb)
    assert done.returncode == 0 and "第1次导入" in done.stdout
    other.imported(parquet)
    hashes = "SELECT claim_id, person_id, person_name FROM claims WHERE import_id = {} ORDER BY claim_id"
    assert other.rows(hashes.format(1)) == utf8.rows(hashes.format(1)) == other.rows(hashes.format(2))
    assert all(len(h) == 64 and "2201" not in h for _, h, _ in utf8.rows(hashes.format(1)))


def test_another_key_gives_other_hashes(tmp_path):
    one, two = place(tmp_path / "one"), place(tmp_path / "two")
    one.imported(CLAIMS)
    two.imported(CLAIMS)
    query = "SELECT person_id FROM claims ORDER BY claim_id"
    assert not set(one.rows(query)) & set(two.rows(query))


def test_a_later_import_supersedes_and_the_earlier_result_is_reproduced(tmp_path):
    where = place(tmp_path)
    where.imported(CLAIMS, PAYMENTS)
    corrected = tmp_path / "发放更正.csv"
    corrected.write_text("申领编号,发放月份,应发日期,实发日期,应发金额,实发金额\n"
                         "C,2003-03,2003-03-10,2003-03-10,240,240\n", encoding="utf-8")   # C was paid in full after all
    done = where.import_(corrected)
    assert done.returncode == 0 and "第2次导入" in done.stdout
    assert month_row(where.derive(), CHANGCHUN, 3)["benefits_paid_on_time"] == 3
    assert month_row(where.derived(as_of=1), CHANGCHUN, 3)["benefits_paid_on_time"] == 2
    assert where.rows("SELECT import_id, amount_paid FROM payments WHERE claim_id = 'C' ORDER BY 1") == [
        (1, 200), (2, 240)]


def test_each_import_has_its_audit_line(tmp_path):
    where = place(tmp_path)
    assert where.import_(CLAIMS, PAYMENTS).returncode == 0
    lines = audit_lines(where.db.with_name("scorecard-records.sqlite"))
    imports = [line for line in lines if line[3] == "个人记录"]
    assert len(imports) == 1
    assert "第1次导入" in imports[0][4] and "申领.csv（CSV（UTF-8）" in imports[0][4]


def test_a_file_of_no_known_table_is_said(tmp_path):
    where = place(tmp_path)
    odd = tmp_path / "其他.csv"
    odd.write_text("甲,乙\n1,2\n", encoding="utf-8")
    done = where.import_(odd)
    assert done.returncode == 1 and "表头不是任何一种个人记录表" in done.stderr and "申领编号" in done.stderr


def test_a_file_name_with_a_quote_is_said_as_it_is(tmp_path):
    where = place(tmp_path)
    odd = tmp_path / "o'neil 申领.csv"
    odd.write_text(CLAIMS.read_text(encoding="utf-8").replace(",240,12,", ",240,十二,", 1), encoding="utf-8")
    done = where.import_(odd)
    assert done.returncode == 1
    assert "o'neil 申领.csv：第2行：应领月数应为不小于0的整数，现在是“十二”" in done.stderr
