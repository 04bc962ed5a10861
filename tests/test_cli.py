"""The `scorecard` command line: outputs, exit codes (0 ok, 1 invalid input, 2 misuse), Chinese messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scorecard.actions.imports import import_file
from scorecard.data.store import Store
from scorecard.config import load_config

THRESHOLD = __import__("gc").get_threshold()
CITIES = ["长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延边朝鲜族自治州"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from conftest import SHIPPED_CONFIG
    from scorecard.cli import main

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    assert main(["--config", str(SHIPPED_CONFIG), "--db", str(db), "demo"]) == 0
    return db


def test_score_table_lists_the_nine_cities_ranked(cli, demo_db):
    run = cli("--db", demo_db, "score", "--year", 2003)
    assert run.code == 0, run.err
    lines = [l for l in run.out.splitlines() if l.split() and l.split()[0].isdigit()]
    assert len(lines) == 9
    assert [int(l.split()[0]) for l in lines] == sorted(int(l.split()[0]) for l in lines)
    assert all(any(name in run.out for name in [c]) for c in CITIES)
    assert "演示数据" in run.out and "年终" in run.out


def test_score_json_agrees_with_table_and_csv(cli, demo_db):
    data = json.loads(cli("--db", demo_db, "score", "--year", 2003, "--format", "json").out)
    assert data["month"] == 12 and data["provisional"] is False and len(data["cities"]) == 9
    table = cli("--db", demo_db, "score", "--year", 2003).out
    csv_rows = cli("--db", demo_db, "score", "--year", 2003, "--format", "csv", "--headers", "code").out.splitlines()
    assert csv_rows[0].startswith("rank,city,name,total,grade")
    for city, row in zip(data["cities"], csv_rows[1:]):
        total = f"{city['total']:.2f}"
        assert total in table
        assert row.split(",")[:5] == [str(city["rank"]), city["city"], city["name"], total, city["grade"]]


def test_score_csv_for_people_has_chinese_headers_after_a_bom(cli, demo_db):
    """Excel on a Chinese Windows opens a CSV without a BOM as GBK: the names would be garbled."""
    people = cli("--db", demo_db, "score", "--year", 2003, "--format", "csv").out
    machines = cli("--db", demo_db, "score", "--year", 2003, "--format", "csv", "--headers", "code").out
    assert people.startswith("\ufeff名次,市州代码,市州,总分,等次,") and not machines.startswith("\ufeff")
    assert people.splitlines()[1:] == machines.splitlines()[1:]
    assert people.encode("utf-8").decode("utf-8-sig").splitlines()[0].split(",")[0] == "名次"


def test_provisional_score_before_december(cli, demo_db):
    data = json.loads(cli("--db", demo_db, "score", "--year", 2003, "--month", 6, "--format", "json").out)
    assert data["provisional"] is True and data["month"] == 6
    assert "预估" in cli("--db", demo_db, "score", "--year", 2003, "--month", 6).out


def test_warn_json_and_table(cli, demo_db):
    data = json.loads(cli("--db", demo_db, "warn", "--year", 2003, "--month", 12, "--format", "json").out)
    assert set(data) == {"year", "month", "cities"} and len(data["cities"]) == 9
    assert set(data["cities"][0]) == {"city", "name", "capacity_months", "level", "months_to_threshold"}
    assert {c["level"] for c in data["cities"]} >= {"red", "normal"}
    table = cli("--db", demo_db, "warn", "--year", 2003, "--month", 12).out
    assert "预警" in table and "辽源市" in table


@pytest.mark.parametrize("args,phrase", [
    (["score"], "缺少必需的参数"),
    (["score", "--year", "2003", "--month", "13"], "月份应为1至12"),
    (["score", "--year", "二〇〇三"], "年度“二〇〇三”无效，应为1990至"),
    (["score", "--year", "2003", "--format", "pdf"], "无效"),
    (["scroe", "--year", "2003"], "没有“scroe”这个命令"),
    (["warn", "--year", "2003"], "缺少必需的参数"),
])
def test_misuse_exits_2_with_a_chinese_message(cli, demo_db, args, phrase):
    run = cli("--db", demo_db, *args)
    assert run.code == 2 and phrase in run.err and "Traceback" not in run.err


def test_year_without_contracts_is_invalid_input(cli, demo_db):
    run = cli("--db", demo_db, "score", "--year", 2005)
    assert run.code == 1 and "2005年没有目标责任书" in run.err and "2002、2003" in run.err


def test_demo_never_overwrites_imported_data_without_force(cli, config_dir, tmp_path):
    config, _ = load_config(config_dir)
    db = tmp_path / "real.duckdb"
    data = tmp_path / "real.csv"
    data.write_text("year,month,city,measure,value\n2003,1,220100,fund_income,1\n", encoding="utf-8")
    assert import_file(Store(db), config, data).ok
    refused = cli("--config", config_dir, "--db", db, "demo")
    assert refused.code == 1 and "--force" in refused.err
    assert cli("--config", config_dir, "--db", db, "demo", "--force").code == 0


def test_a_file_that_is_not_a_database(cli, tmp_path):
    db = tmp_path / "junk.duckdb"
    db.write_text("this is not a database")
    run = cli("--db", db, "score", "--year", 2003)
    assert run.code == 1 and "无法打开数据库" in run.err and "Traceback" not in run.err


def test_python_dash_m_runs_the_same_command_line(demo_db):
    done = subprocess.run([sys.executable, "-m", "scorecard", "--db", str(demo_db), "score", "--year", "2002",
                           "--format", "json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and json.loads(done.stdout)["year"] == 2002


# A child ending as the shell's `scorecard` does (main(ending=True)); it says on stderr whether the functions registered
# with atexit ran and whether the interpreter's teardown did (an object of __main__ is freed only there).
ENDING_CHILD = """
import atexit, os, sys, threading
from scorecard.cli import main
class Freed:
    def __del__(self):
        os.write(2, b"teardown\\n")
freed = Freed()
atexit.register(lambda: os.write(2, b"atexit\\n"))
if sys.argv[1] == "thread":  # a thread still running: Python's exit waits for it
    done = threading.Event()
    threading.Thread(target=done.wait, args=(2,)).start()
if sys.argv[1] == "profiled":  # a profiler writes its figures once the command is done
    import cProfile
    cProfile.Profile().enable()
atexit.register(lambda: os.write(2, b"scorecard.records.store\\n" if "scorecard.records.store" in sys.modules else b""))
code = main(sys.argv[2:], ending=True)
os.write(2, b"returned\\n")
sys.exit(code)
"""


def _ending(*args, case="plain", env=None):
    from conftest import ROOT

    done = subprocess.run([sys.executable, "-c", ENDING_CHILD, case, *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=env)
    return done.returncode, done.stdout, [line for line in done.stderr.splitlines() if line in
                                          ("atexit", "teardown", "returned")], done.stderr


def test_score_ends_its_process_without_the_teardown_once_its_output_and_atexit_are_done(demo_db, tmp_path):
    """`scorecard score` and `warn` only read and print: the shell's command ends the process at once when they are
    done (cli._end_now), its whole output written, what was registered with atexit run, the exit code kept. Every
    other command, a thread still running, a profiler, and main() called by a program (as here in the tests) keep
    Python's ordinary exit."""
    env = dict(__import__("os").environ, SCORECARD_CACHE=str(tmp_path))
    code, out, said, err = _ending("--db", demo_db, "score", "--year", 2003, "--format", "json", env=env)
    assert code == 0 and said == ["atexit"], err
    assert json.loads(out)["year"] == 2003 and len(json.loads(out)["cities"]) == 9
    code, out, said, err = _ending("--db", demo_db, "warn", "--year", 2003, "--month", 6, env=env)
    assert code == 0 and said == ["atexit"] and "基金支付能力" in out, err
    code, out, said, err = _ending("--db", demo_db, "score", "--year", 2003, "--parent", "nowhere", env=env)
    assert code == 1 and said == ["atexit"] and "未知的市州" in err and out == ""
    code, out, said, err = _ending("--db", demo_db, "score", "--year", 2003, case="thread", env=env)
    assert code == 0 and said == ["returned", "atexit", "teardown"] and "考评结果" in out, err
    code, out, said, err = _ending("--db", demo_db, "score", "--year", 2003, case="profiled", env=env)
    assert code == 0 and said == ["returned", "atexit", "teardown"] and "考评结果" in out, err
    code, out, said, err = _ending("--db", demo_db, "validate", env=env)  # not a command that ends at once
    assert code == 0 and said == ["returned", "atexit", "teardown"], err


def test_a_score_that_read_recorded_decisions_closes_the_records_connections_before_it_ends(tmp_path):
    """A decision of 2003 recorded beside the database: `score` reads it through the records store (SQLAlchemy,
    SQLite in WAL mode). Its pooled connections are closed before the quick end, as the teardown closed them: the
    last one folds SQLite's write-ahead log into the file and removes it (a PostgreSQL server is told)."""
    from conftest import SHIPPED_CONFIG
    from scorecard.records.location import records_path

    env = dict(__import__("os").environ, SCORECARD_CACHE=str(tmp_path / "cache"))
    db = tmp_path / "demo.duckdb"
    for command in (["demo"], ["assess", "add", "--year", "2003", "--city", "长春市", "--points", "1", "--reason", "测试"]):
        made = subprocess.run([sys.executable, "-m", "scorecard", "--config", str(SHIPPED_CONFIG), "--db", str(db),
                               *command], capture_output=True, text=True, env=env)
        assert made.returncode == 0, made.stderr
    wal = Path(f"{records_path(db)}-wal")
    assert records_path(db).is_file() and not wal.exists()
    code, out, said, err = _ending("--config", SHIPPED_CONFIG, "--db", db, "score", "--year", 2003, "--format", "json",
                                   env=env)
    assert code == 0 and said == ["atexit"] and json.loads(out)["year"] == 2003, err
    assert "scorecard.records.store" in err.splitlines()  # the child's note: the records store was opened
    assert not wal.exists()


def test_the_shells_command_and_python_dash_m_end_as_main_ending_does():
    """pyproject's script and scorecard/__main__.py both run `entry`, which is main(ending=True)."""
    import tomllib

    from conftest import ROOT

    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]["scorecard"] == "scorecard.cli:entry"
    assert "sys.exit(entry())" in (ROOT / "scorecard" / "__main__.py").read_text()


def test_help_is_in_chinese(cli):
    run = cli("--help")
    assert run.code == 0 and run.out.startswith("用法：scorecard") and "选项：" in run.out and "显示本帮助并退出" in run.out
    assert "usage:" not in run.out and "options:" not in run.out


def test_score_does_not_load_the_import_and_demo_libraries(demo_db, tmp_path):
    """A batch job scores in a fresh process each time: pandas and openpyxl load only for the commands
    that use them (import, demo, template)."""
    from conftest import ROOT, SHIPPED_CONFIG

    script = ("import sys; from scorecard.cli import main; "
              f"code = main(['--config', {str(SHIPPED_CONFIG)!r}, '--db', {str(demo_db)!r}, 'score', '--year', '2003']); "
              "print(sorted(m for m in ('pandas', 'openpyxl') if m in sys.modules)); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "", "SCORECARD_CACHE": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_score_uses_duckdbs_engine_alone(demo_db, tmp_path):
    """The store imports DuckDB's engine `_duckdb`, whose connect and errors the `duckdb` package re-exports: a
    `scorecard score` whose config comes from the cache imports neither the package's Python layer (its relation API,
    0.1 s) nor importlib.metadata, which that layer read its version with."""
    import duckdb

    from conftest import ROOT, SHIPPED_CONFIG
    from scorecard.data import store

    assert store.duckdb.connect is duckdb.connect and store.duckdb.Error is duckdb.Error
    assert store.duckdb.CatalogException is duckdb.CatalogException
    script = ("import sys; from scorecard.cli import main; "
              f"code = main(['--config', {str(SHIPPED_CONFIG)!r}, '--db', {str(demo_db)!r}, 'score', '--year', '2003']); "
              "print(sorted(m for m in ('duckdb', 'importlib.metadata', 'secrets') if m in sys.modules)); sys.exit(code)")
    for _ in range(2):  # the first fills the config cache (checking the files reads pydantic's version)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                              env={"PATH": "", "SCORECARD_CACHE": str(tmp_path)})
        assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def command_names(parser) -> list[str]:
    return list(next(a for a in parser._actions if a.dest == "command").choices)


def test_a_command_imports_its_own_module_and_the_table_names_every_command():
    """COMMANDS (scorecard/cli/__init__.py) says which module registers each command, so that a command imports
    that module alone: each module registers exactly the commands the table gives it, and --help lists them all."""
    from scorecard.cli import COMMANDS, build_parser

    assert command_names(build_parser()) == list(COMMANDS)
    for command, module in COMMANDS.items():
        assert command_names(build_parser(["--db", "x.duckdb", command, "--help"])) == [
            name for name, of in COMMANDS.items() if of == module], command
    assert command_names(build_parser(["--config", "score", "bogus"])) == list(COMMANDS)  # no command named: all


def test_score_runs_no_garbage_collection_and_turns_the_collector_back_on(cli, demo_db):
    """Each run of Python's cyclic collector scanned every object the command had built (cli/results.py): none runs
    while `score` works, and the collector is on again once it is done, as before it — also when it fails."""
    import gc

    from scorecard.cli import results

    runs = []

    def counted(phase, info):  # a collection while the command works (not while its arguments are parsed)
        frame = sys._getframe()
        while frame is not None and frame.f_code is not results._score.__code__:
            frame = frame.f_back
        if phase == "start" and frame is not None:
            runs.append(info["generation"])

    cli("--db", demo_db, "score", "--year", 2003, "--format", "json")  # the command's modules imported
    gc.callbacks.append(counted)
    try:
        gc.set_threshold(1)  # without the pause, a collection at almost every object made
        assert cli("--db", demo_db, "score", "--year", 2003, "--format", "json").code == 0
        assert runs == [] and gc.isenabled()
        assert cli("--db", demo_db, "score", "--year", 2003, "--parent", "nowhere").code == 1
        assert runs == [] and gc.isenabled()
    finally:
        gc.set_threshold(*THRESHOLD)
        gc.callbacks.remove(counted)
