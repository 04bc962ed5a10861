"""Loading and checking the configuration folder.

The one place that turns `config/` into a `Config`. The CLI, the app and the tests all call `load_config`;
every problem found is reported at once as `file:line: 中文说明`, and a folder with any problem yields no
Config. Each file is read by its own module: cities and the catalogue (catalogue.py), scoring.yaml
(schedule.py), contracts (contracts.py, their terms in terms.py) and assessments (assessments.py), the
entries of each checked on the pydantic models of schema.py.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from . import cache as saved
from .files import config_files, fingerprint, stamped_files
from .model import Config, rules_in

if TYPE_CHECKING:
    from .located import Problem


def load_config(directory, *, cache: bool = False) -> tuple[Config | None, list[Problem]]:
    """Read and check the whole configuration folder; a Config only when there is no problem.

    With `cache`, a config checked before with the same files and the same code is taken from the cache on
    disk (cache.py); the CLI and the app use it, for a national config of thousands of contracts."""
    directory = Path(directory)
    if not directory.is_dir():
        from .located import Problem

        return None, [Problem(str(directory), None, "配置目录不存在（用 --config 或环境变量 SCORECARD_CONFIG 指定）")]
    key = None
    if cache and saved.cache_folder() is not None:
        try:
            files, stamp, newest, under = stamped_files(directory)
            # unchanged names, sizes and times: the fingerprint the files had when last read (cache.py)
            known = saved.stamped(directory, stamp, under)
            before = known or fingerprint(directory, files)
            key = saved.entry_key(directory, before, under)
        except OSError:  # an unreadable file: checking says so
            key = None
        cached = saved.load(key, before, directory) if key else None
        if cached is not None:
            if known is None:
                saved.record_stamp(directory, stamp, under, newest, before)
            return cached, []
    config, problems = _check_config(directory)
    if key and config is not None and config.fingerprint == before:  # unchanged while it was being checked
        saved.store(key, config)
    return config, problems


def _check_config(directory: Path) -> tuple[Config | None, list[Problem]]:
    # the readers, YAML and the pydantic models of the files: only when the files are checked (a cache hit is not)
    from .assessments import load_assessments
    from .catalogue import load_catalogue, load_units
    from .contracts import load_contracts
    from .schedule import load_rules

    problems: list[Problem] = []
    units = load_units(directory, problems)
    schedule = load_rules(directory, problems)
    # a default method is checked again against the full score of each contract's year
    measures, indicators, written, checks = load_catalogue(directory, problems, max(r.total_points for _, r in schedule))
    by_code = {c.code: c for c in units.cities}
    every = by_code | {c.code: c for c in units.counties}
    contracts = load_contracts(directory, (indicators, written), measures, every, lambda year: rules_in(schedule, year), problems)
    assessments = load_assessments(directory, by_code, set(contracts), problems)
    if problems:
        return None, sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
    files = config_files(directory)
    return Config(directory=directory, cities=units.cities, counties=units.counties, province=units.province,
                  measures=measures, indicators=indicators,
                  schedule=schedule, contracts=contracts, assessments=assessments,
                  files=tuple(p.relative_to(directory).as_posix() for p in files),
                  fingerprint=fingerprint(directory, files), checks=checks), []
