"""The cache of checked configs (scorecard/config/cache.py): a hit is the config that checking gives, anything
changed is checked again, problems are never cached, and only the user's own private entries are read."""

from __future__ import annotations

import fnmatch
import os
import stat
import time

import pytest

from scorecard.config import cache as configcache, validation
from scorecard.config import load_config


@pytest.fixture
def checks(monkeypatch):
    """How often the config was really checked (not taken from the cache)."""
    calls = []
    check = validation._check_config

    def counted(directory):
        calls.append(directory)
        return check(directory)

    monkeypatch.setattr(validation, "_check_config", counted)
    return calls


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(configcache.CACHE_ENV, str(folder))
    return folder / "config"


def entries(cache):
    return sorted(cache.glob("*.json")) if cache.exists() else []


def test_a_second_load_is_the_same_config_from_the_cache(config_dir, cache, checks):
    first, problems = load_config(config_dir, cache=True)
    assert not problems and len(checks) == 1
    second, problems = load_config(config_dir, cache=True)
    assert not problems and len(checks) == 1, "checked again"
    assert second == first and second.fingerprint == first.fingerprint
    assert second == load_config(config_dir)[0]
    assert repr(second) == repr(first)  # the rules too: a tiered method's tiers are tuples again, numbers floats
    (entry,) = entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600 and stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_an_edited_contract_is_checked_again(config_dir, cache, checks):
    load_config(config_dir, cache=True)
    contract = config_dir / "contracts" / "2003" / "220100-长春市.yaml"
    contract.write_text(contract.read_text(encoding="utf-8").replace("target: 32000", "target: 33000"),
                        encoding="utf-8")  # same size, maybe the same mtime: the bytes tell
    edited, _ = load_config(config_dir, cache=True)
    assert len(checks) == 2
    assert edited.contracts[(2003, "220100")].targets[0].target == 33000


def test_problems_are_never_cached_and_always_said(config_dir, cache, checks):
    load_config(config_dir, cache=True)
    (config_dir / "contracts" / "草稿").mkdir()  # an empty folder changes no file, yet it is a problem
    for _ in range(2):
        config, problems = load_config(config_dir, cache=True)
        assert config is None and any("四位年度" in p.message for p in problems)
    assert len(checks) == 3 and len(entries(cache)) == 1


def test_the_code_that_checks_is_part_of_the_key(config_dir, cache, checks, monkeypatch):
    load_config(config_dir, cache=True)
    monkeypatch.setattr(configcache, "code_version", lambda: "another version of scorecard")
    load_config(config_dir, cache=True)
    assert len(checks) == 2 and len(entries(cache)) == 2


def test_an_entry_others_may_write_is_not_read(config_dir, cache, checks):
    load_config(config_dir, cache=True)
    (entry,) = entries(cache)
    entry.chmod(0o666)
    load_config(config_dir, cache=True)
    assert len(checks) == 2
    cache.chmod(0o777)  # nor anything in a folder others may write to
    entry.chmod(0o600)
    load_config(config_dir, cache=True)
    assert len(checks) == 3


def test_a_symbolic_link_is_not_followed(config_dir, cache, checks, tmp_path):
    load_config(config_dir, cache=True)
    (entry,) = entries(cache)
    elsewhere = tmp_path / "elsewhere.json"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    load_config(config_dir, cache=True)
    assert len(checks) == 2


def test_a_damaged_entry_is_a_miss_not_an_error(config_dir, cache, checks):
    load_config(config_dir, cache=True)
    (entry,) = entries(cache)
    entry.write_bytes(b"not json")
    config, problems = load_config(config_dir, cache=True)
    assert config is not None and not problems and len(checks) == 2


def test_the_cache_can_be_turned_off(config_dir, cache, checks, monkeypatch):
    monkeypatch.setenv(configcache.CACHE_ENV, "off")
    for _ in range(2):
        assert load_config(config_dir, cache=True)[0] is not None
    assert len(checks) == 2 and not cache.exists()


def test_the_command_line_uses_it(cli, config_dir, cache, checks, demo_db):
    for _ in range(2):
        assert cli("--config", config_dir, "--db", demo_db, "score", "--year", 2003).code == 0
    assert len(checks) == 1


def hashes(monkeypatch) -> list:
    """Each time the config's files are read to hash them."""
    calls, real = [], validation.fingerprint
    monkeypatch.setattr(validation, "fingerprint", lambda directory, files: calls.append(directory) or real(directory, files))
    return calls


def test_files_unchanged_since_a_hit_are_not_read_again(config_dir, cache, checks, monkeypatch):
    """The stamp (names, sizes, times) a hit recorded stands for the fingerprint; a file edited since is hashed and
    checked again."""
    load_config(config_dir, cache=True)
    first, _ = load_config(config_dir, cache=True)  # a hit: the stamp of these files recorded
    read = hashes(monkeypatch)
    again, _ = load_config(config_dir, cache=True)
    assert again == first and again.fingerprint == first.fingerprint and read == [] and len(checks) == 1
    assert len(list(cache.glob("*.stamp"))) == 1
    contract = config_dir / "contracts" / "2003" / "220100-长春市.yaml"
    contract.write_text(contract.read_text(encoding="utf-8").replace("target: 32000", "target: 33000"),
                        encoding="utf-8")
    edited, _ = load_config(config_dir, cache=True)
    assert len(read) == 2 and len(checks) == 2  # hashed, missed, checked (and hashed as checked)
    assert edited.contracts[(2003, "220100")].targets[0].target == 33000


def test_no_stamp_is_recorded_while_a_file_is_newer_than_the_clock_can_tell(config_dir, cache, checks, monkeypatch):
    contract = config_dir / "contracts" / "2003" / "220100-长春市.yaml"
    contract.write_text(contract.read_text(encoding="utf-8"), encoding="utf-8")
    just_now = time.time() + 10 * configcache.RACY_SECONDS  # "just now" however long the checks below take
    os.utime(contract, (just_now, just_now))
    for _ in range(2):
        load_config(config_dir, cache=True)
    assert len(checks) == 1 and not list(cache.glob("*.stamp"))
    old = time.time() - 2 * configcache.RACY_SECONDS
    os.utime(contract, (old, old))
    load_config(config_dir, cache=True)
    read = hashes(monkeypatch)
    load_config(config_dir, cache=True)
    assert len(checks) == 1 and read == [] and len(list(cache.glob("*.stamp"))) == 1


def _edit_in_place(contract):
    contract.write_text(contract.read_text(encoding="utf-8").replace("target: 32000", "target: 33000"),
                        encoding="utf-8")  # the same size


def _touch(contract):
    info = contract.stat()
    os.utime(contract, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))  # the bytes unchanged


def _grow(contract):
    contract.write_text(contract.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _add(contract):
    (contract.parent / "草稿.yaml").write_text("year: 2003\n", encoding="utf-8")


def _add_below(contract):
    (contract.parent / "220100" / "草稿.yml").write_text("year: 2003\n", encoding="utf-8")


def _remove(contract):
    contract.unlink()


def _rename(contract):
    contract.rename(contract.with_name("220100-长春.yaml"))


@pytest.mark.parametrize("change", [_edit_in_place, _touch, _grow, _add, _add_below, _remove, _rename])
def test_any_change_to_a_file_since_the_stamp_is_seen(config_dir, cache, checks, monkeypatch, change):
    """With a stamp recorded (files old enough), a file's new bytes, size or time, a file added (beside the
    contracts or in a folder below them), removed or renamed: the files are hashed again and, but for the time
    alone, checked again."""
    contract = config_dir / "contracts" / "2003" / "220100-长春市.yaml"
    old = time.time() - 10 * configcache.RACY_SECONDS
    for path in config_dir.rglob("*"):
        os.utime(path, (old, old))
    load_config(config_dir, cache=True)
    load_config(config_dir, cache=True)  # a hit: the stamp recorded
    assert len(list(cache.glob("*.stamp"))) == 1 and len(checks) == 1
    read = hashes(monkeypatch)
    change(contract)
    config, problems = load_config(config_dir, cache=True)
    assert len(read) >= 1, "the stamp did not see the change"
    if change is _touch:
        assert len(checks) == 1 and config == load_config(config_dir)[0]  # the same bytes: a hit by fingerprint
    else:
        assert len(checks) == 2
    if change is _edit_in_place:
        assert config.contracts[(2003, "220100")].targets[0].target == 33000


def test_the_files_and_folders_are_those_a_walk_finds_in_the_order_of_sorted_paths(tmp_path):
    from scorecard.config import files

    top = tmp_path / "config"
    for name in ("a.yaml", "a/x.yaml", "a-b.yaml", "a b/y.yml", "a/z/w.yaml", "b.yaml", "access.yaml",
                 "a/access.yaml", "notes.txt", "c.yaml.bak", "d/e.YAML", "空/"):
        path = top / name
        if name.endswith("/"):
            path.mkdir(parents=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x: 1\n", encoding="utf-8")
    (top / "linked").symlink_to(top / "a", target_is_directory=True)  # a folder linked: not walked
    (top / "link.yaml").symlink_to(top / "b.yaml")  # a file linked: a config file
    walked = [os.path.join(folder, name) for folder, _, names in os.walk(top) for name in names
              if fnmatch.fnmatchcase(name, "*.y*ml") and os.path.isfile(os.path.join(folder, name))]
    expected = sorted((p for p in walked if p != str(top / "access.yaml")), key=lambda p: p.split(os.sep))
    assert [str(p) for p in files.config_files(top)] == expected
    found, stamp, newest, folders = files.stamped_files(top)
    assert found == expected and stamp == files.config_stamp(top)
    assert folders == sorted(os.path.relpath(folder, top) for folder, _, _ in os.walk(top))
    assert newest == max(os.stat(p).st_mtime_ns for p in expected)


@pytest.mark.parametrize("damage", ["values", "a layout's column"])
def test_an_entry_whose_targets_are_unlike_their_layout_is_a_miss(config_dir, cache, checks, damage):
    """A contract's targets are kept as the place of their layout (indicators, weights, rules, lines as columns)
    and their values (plain.py): values that do not fit it, or a layout's columns of unequal lengths, are a
    damaged entry."""
    import json

    load_config(config_dir, cache=True)
    (entry,) = entries(cache)
    plain = json.loads(entry.read_bytes())
    assert len(plain["layouts"]) < len(plain["contracts"])  # contracts share their layouts
    if damage == "values":
        plain["contracts"][0][4][1].pop()
    else:
        plain["layouts"][plain["contracts"][0][4][0]][1].pop()  # a weight fewer
    entry.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
    config, problems = load_config(config_dir, cache=True)
    assert not problems and len(checks) == 2  # a miss: checked again
    assert config == load_config(config_dir)[0]
