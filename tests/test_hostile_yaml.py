"""Hostile config files — YAML bombs, deep nesting, huge files — refused quickly with `file:line: 中文说明`.

Every case runs the installed `scorecard --config DIR validate` in a child process, under a time-out and an
address-space limit, and reads back the child's peak memory: a bomb must be refused, not survived.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_config
from page_support import shown
from scorecard.config import load_config
from scorecard.config.yamlsource import MAX_NODES

SCORECARD = Path(sys.executable).with_name("scorecard")
TIMEOUT = 15          # seconds: a refusal takes well under one, the bomb took minutes
MEMORY_CEILING = 2 << 30  # the child's address space: a bomb fails with MemoryError instead of swapping
PEAK_MB = 300         # validate needs about 45 MB; a bomb expanded in memory needs gigabytes

# Runs the CLI as a grandchild, so that RUSAGE_CHILDREN is the peak of that one process only.
RUNNER = """
import json, resource, subprocess, sys
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
done = subprocess.run(sys.argv[2:], capture_output=True, text=True, preexec_fn=limit)
print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def validate(config_dir: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", RUNNER, str(MEMORY_CEILING), str(SCORECARD), "--config",
                           str(config_dir), "validate"], capture_output=True, text=True, timeout=TIMEOUT)
    return json.loads(done.stdout)


def nine_by_nine() -> str:
    """Anchors and aliases nested 9 × 9: ten lines that stand for 9¹⁰ values."""
    lines = ["l0: &l0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    lines += [f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]" for k in range(1, 10)]
    return "\n".join(lines) + "\n"


def assert_refused(config_dir: Path, relative: str, lines, *phrases: str) -> str:
    """Exit 1, no traceback, bounded memory, and the message on one of `lines` of the file, in Chinese."""
    run = validate(config_dir)
    assert run["code"] == 1, run
    assert "Traceback" not in run["err"] and "内部错误" not in run["err"], run["err"]
    assert run["peak_mb"] < PEAK_MB, run["peak_mb"]
    lines = {lines} if isinstance(lines, int) else set(lines)
    prefix = f"{config_dir / relative}:"
    shown = [text for text in run["err"].splitlines() if text.startswith(prefix)
             and text[len(prefix):].split(":", 1)[0].isdigit() and int(text[len(prefix):].split(":", 1)[0]) in lines]
    assert len(shown) == 1, run["err"]
    message = shown[0].split(": ", 1)[1]
    assert re.search(r"[\u4e00-\u9fff]", message), message
    for phrase in phrases:
        assert phrase in message, message
    return message


@pytest.fixture
def hostile(tmp_path) -> Path:
    return copy_config(tmp_path / "config")


def test_nine_by_nine_bomb_in_the_assessments(hostile):
    target = hostile / "assessments" / "2003.yaml"
    target.write_text("year: 2003\n" + nine_by_nine() + "adjustments: *l9\n", encoding="utf-8")
    message = assert_refused(hostile, "assessments/2003.yaml", range(2, 12), "展开")
    assert re.search(r"别名“\*l\d”", message), message


EVERY_KIND_OF_FILE = ("cities.yaml", "indicators.yaml", "scoring.yaml", "contracts/2003/220100-长春市.yaml",
                      "assessments/2002.yaml", "access.yaml")


@pytest.mark.parametrize("relative", EVERY_KIND_OF_FILE)
def test_a_billion_laughs_in_flow_style_in_every_file_read(hostile, relative):
    """One line, one flow mapping: `{l0: &a [lol, …], l1: &a1 [*a, …], …}`, as the file's second line."""
    laughs = ["&a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for k in range(1, 9):
        laughs.append(f"&a{k} [{', '.join([f'*a{k - 1}' if k > 1 else '*a'] * 10)}]")
    bomb = "laughs: {" + ", ".join(f"l{k}: {text}" for k, text in enumerate(laughs)) + "}\n"
    target = hostile / relative
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(1, bomb)
    target.write_text("".join(lines), encoding="utf-8")
    assert_refused(hostile, relative, 2, "别名“*a", "展开")


@pytest.mark.parametrize("shape,text", [
    ("block list", "adjustments:\n" + "- " * 50_000 + "x\n"),
    ("flow list", "adjustments:\n  " + "[" * 50_000 + "]" * 50_000 + "\n"),
    ("flow mapping", "adjustments:\n  " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n"),
    ("block mapping", "adjustments:\n" + "".join(" " * (k + 1) + f"k{k}:\n" for k in range(2_000))),
])
def test_deep_nesting_is_refused_at_its_line(hostile, shape, text):
    target = hostile / "assessments" / "2003.yaml"
    target.write_text("year: 2003\n" + text, encoding="utf-8")
    assert_refused(hostile, "assessments/2003.yaml", {3, 66}, "嵌套", "64")


def test_an_alias_of_its_own_anchor_is_refused(hostile):
    target = hostile / "cities.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "loop: &loop [1, *loop]\n", encoding="utf-8")
    line = target.read_text(encoding="utf-8").count("\n")
    assert_refused(hostile, "cities.yaml", line, "*loop", "自身")


def test_a_ten_megabyte_file_is_refused(hostile):
    target = hostile / "contracts" / "2003" / "220100-长春市.yaml"
    padding = "".join(f"# {k:08d} 这一行只是注释，用来把文件撑大到十兆字节以上的无用内容。\n" for k in range(130_000))
    target.write_text(target.read_text(encoding="utf-8") + padding, encoding="utf-8")
    assert target.stat().st_size > 10_000_000
    run = validate(hostile)
    assert run["code"] == 1, run
    shown = [line for line in run["err"].splitlines() if line.startswith(f"{target}:")]
    assert shown and re.match(rf"{re.escape(str(target))}:\d+: .*文件.*MB", shown[0]), run["err"]
    assert run["peak_mb"] < PEAK_MB, run["peak_mb"]


def test_anchors_and_merge_keys_of_a_real_file_still_work(hostile):
    """An assessor writes the terms of one target once and merges them into another (`<<: *deduct`); the keys
    written beside the merge win. The contract is read as if written out in full."""
    target = hostile / "contracts" / "2003" / "220100-长春市.yaml"
    text = target.read_text(encoding="utf-8")
    text = text.replace("institution_coverage_rate:  {", "institution_coverage_rate:  &deduct {", 1)
    text = re.sub(r"timely_payment_rate:.*\n",
                  "timely_payment_rate: {<<: *deduct, target: 1.0, weight: 15, per: 2, max: 15}\n", text, count=1)
    target.write_text(text, encoding="utf-8")
    run = validate(hostile)
    assert run["code"] == 0, run["err"]
    config, problems = load_config(hostile)
    assert not problems
    terms = {t.indicator: t for t in config.contracts[(2003, "220100")].targets}["timely_payment_rate"]
    assert (terms.target, terms.weight, terms.method.name, terms.method.per, terms.method.max) == (1.0, 15, "deduct",
                                                                                                  2, 15)


def test_a_file_of_more_values_than_any_config_needs_is_refused(hostile):
    """Under the size limit, yet hundreds of thousands of values: refused where they pass the limit."""
    target = hostile / "cities.yaml"
    lines = MAX_NODES // 5  # five values a line: the list and its four numbers
    target.write_text("cities:\n" + "".join(f"  - [{k}, {k}, {k}, {k}]\n" for k in range(lines + 10_000)),
                      encoding="utf-8")
    assert_refused(hostile, "cities.yaml", range(lines - 100, lines + 100), "万个")


def test_the_app_shows_the_refusal_instead_of_expanding_the_bomb(hostile, small_db, open_app):
    target = hostile / "assessments" / "2003.yaml"
    target.write_text("year: 2003\n" + nine_by_nine() + "adjustments: *l9\n", encoding="utf-8")
    app = open_app(hostile, small_db)
    text = "\n".join(shown(e.value) for e in app.error)
    assert "配置有1处问题" in text, text
    assert re.search(r"assessments/2003\.yaml:\d+`：别名“`\*l\d`”展开后", text), text  # the alias set as code
    assert not app.exception
