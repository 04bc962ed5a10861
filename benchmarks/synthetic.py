"""Deterministic synthetic data for N assessed units, for benchmarks (not shipped, not tests).

`build(n, directory, years=…)` writes a config folder for N units (cities.yaml, the shipped catalogue
and scoring rules, one contract per unit and year modelled on the shipped contracts with scaled
targets, and assessments with some adjustments and vetoes) and fills a DuckDB with monthly actuals
from the demo generator, which gives every unknown code its own scale and performance: units ×
years × the catalogue's measures × 12 months. The same arguments always give the same files and
the same numbers.

With `hierarchy`, the N units are arranged as a ministry's run: 31 provinces (the units ranked, cities.yaml's
`cities`) → cities → counties (its `counties`, each with its parent), each unit below a province with a contract
from its parent (contracts/<year>/<parent code>/) whose targets share out the parent's, and actuals that add up
to the parent's; `score_year(config, store, year, parent=code)` ranks the units below any of them.

`prepared(n)` does the same into a cache folder outside git (SCORECARD_BENCH_CACHE, default
~/.cache/scorecard-benchmarks) and reuses it while this generator, the demo generator and the
shipped config are unchanged — building 2,800 units takes a while.

    python benchmarks/synthetic.py 330 /tmp/synthetic    # then: scorecard --config /tmp/synthetic/config
                                                         #       --db /tmp/synthetic/actuals.duckdb score --year 2003
    python benchmarks/synthetic.py 2800 /tmp/national --hierarchy   # … score --year 2003 --parent 900001
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sys
from pathlib import Path

import yaml

from scorecard.formatting import PERCENT
from scorecard.config import Config
from scorecard.actions.demo import build_demo
from scorecard.data.store import Store
from scorecard.config import load_config

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "config"
FIRST = "东西南北中上下前后大小长永安新兴和平宁泰丰富华阳青白红金玉龙凤鹤松柏桦榆梨桃清明德"
SECOND = "山河湖江川原林岭泉溪城关台营岗屯甸沟堡桥"
KINDS = ("县", "市", "区", "旗")
SEED = 330
PROVINCE = 9  # the shipped config's cities
PROVINCES = 31  # a ministry's run: the provinces, above cities and counties
CITY_SHARE = 0.13  # of the units below the provinces, the cities (2003: 333 of some 3,200)
NATION = {"code": "000000", "name": "全国"}
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def unit_names(n: int) -> list[str]:
    """n distinct place names; every 23rd is long, like 延边朝鲜族自治州. Two-character names (东山县) first, as
    many as there are (3,280); beyond them three-character ones (东西山县), enough for a ministry's run."""
    two = [first + second + kind for first in FIRST for second in SECOND for kind in KINDS]
    random.Random(SEED).shuffle(two)
    names = list(dict.fromkeys(two))
    if n > len(names):
        three = [first + middle + second + kind for first in FIRST for middle in FIRST if middle != first
                 for second in SECOND for kind in KINDS]
        random.Random(SEED + 1).shuffle(three)
        names = list(dict.fromkeys([*names, *three]))
    chosen = names[:n]
    for k in range(0, n, 23):
        chosen[k] = chosen[k][:-1] + "朝鲜族满族自治" + chosen[k][-1]
    return chosen


def unit_codes(n: int) -> list[str]:
    return [f"{900001 + k}" for k in range(n)]


def _scaled(target, unit: str, scale: float):
    if unit == PERCENT or isinstance(target, str):
        return target
    value = target * scale
    return round(value, 2) if unit == "万元" else max(1, round(value))


def _templates(source: Path, shipped: Config, years: list[int]) -> dict[int, list[dict]]:
    """Each year's contract templates, parsed once: the shipped contracts of that year, or of the nearest
    shipped year for a year the shipped config has none of."""
    parsed: dict[int, list[dict]] = {}
    for year in shipped.years():
        paths = sorted(Path(source, "contracts", str(year)).glob("*.yaml"))
        parsed[year] = [yaml.load(p.read_text(encoding="utf-8"), Loader=Loader) for p in paths]
    return {year: parsed[min(parsed, key=lambda y: (abs(y - year), -y))] for year in years}


def parents(codes: list[str]) -> dict[str, str | None]:
    """Each unit's parent in a ministry's run: the first PROVINCES units are provinces (None), the next CITY_SHARE of
    the rest cities (of the provinces in turn), the others counties (of the cities in turn)."""
    provinces = codes[:PROVINCES]
    cities = codes[PROVINCES:PROVINCES + round((len(codes) - len(provinces)) * CITY_SHARE)] or provinces
    below = {code: None for code in provinces}
    below.update({code: provinces[k % len(provinces)] for k, code in enumerate(codes[PROVINCES:PROVINCES + len(cities)])
                  if code not in below})
    below.update({code: cities[k % len(cities)] for k, code in enumerate(codes[len(below):])})
    return below


def build(n: int, directory, source=SHIPPED, years: list[int] | None = None,
          hierarchy: bool = False) -> tuple[Config, Store]:
    directory = Path(directory)
    config_dir = directory / "config"
    if config_dir.exists():
        shutil.rmtree(config_dir)
    (config_dir / "contracts").mkdir(parents=True)
    shipped, problems = load_config(source)
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    years = sorted(years or shipped.years())
    for name in ("indicators.yaml", "scoring.yaml"):
        shutil.copy(Path(source) / name, config_dir / name)
    codes = unit_codes(n)
    parent = parents(codes) if hierarchy else dict.fromkeys(codes)
    units = [{"code": code, "name": name} for code, name in zip(codes, unit_names(n))]
    cities = [u for u in units if parent[u["code"]] is None]
    below = [{**u, "parent": parent[u["code"]]} for u in units if parent[u["code"]] is not None]
    _dump(config_dir / "cities.yaml", {"province": NATION, "cities": cities, "counties": below} if hierarchy
          else {"cities": cities})
    children: dict[str, int] = {}
    for code in codes:
        if parent[code] is not None:
            children[parent[code]] = children.get(parent[code], 0) + 1

    rng = random.Random(SEED)
    templates = _templates(Path(source), shipped, years)
    for year in years:
        (config_dir / "contracts" / str(year)).mkdir()
        written: dict[str, dict] = {}
        for k, code in enumerate(codes):
            template = templates[year][k % len(templates[year])]
            scale = 0.1 + rng.random() * 1.2
            terms_of = template["targets"]
            if parent[code] is not None:  # a share of its parent's targets, with the parent's terms
                terms_of, scale = written[parent[code]], (0.8 + rng.random() * 0.5) / children[parent[code]]
            targets = {indicator: {**terms, "target": _scaled(terms["target"], shipped.indicators[indicator].unit,
                                                              scale)}
                       for indicator, terms in terms_of.items()}
            written[code] = targets
            signed = template.get("signed_on")
            folder = config_dir / "contracts" / str(year) / (parent[code] or "")
            folder.mkdir(exist_ok=True)
            _write_contract(folder / f"{code}.yaml", year, code, signed.replace(year=year) if signed else None,
                            targets)
        _dump(config_dir / "assessments" / f"{year}.yaml", {
            "year": year,
            "adjustments": [{"city": code, "points": -2, "reason": "未按时报送统计报表"}
                            for k, code in enumerate(codes) if k % 37 == 5 and parent[code] is None],
            "veto": [{"city": code, "item": "拖欠失业保险金", "reason": "延迟发放失业保险金"}
                     for k, code in enumerate(codes) if k % 53 == 7 and parent[code] is None],
        })
    config, problems = load_config(config_dir)
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    store = Store(directory / "actuals.duckdb")
    build_demo(store, config, force=True)
    return config, store


def _dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=None),
                    encoding="utf-8")


def _write_contract(path: Path, year: int, code: str, signed_on, targets: dict) -> None:
    """Laid out as the shipped contracts are (one flow mapping per target), written directly: PyYAML's
    emitter would take most of the time of building thousands of them."""
    lines = [f"# {year}年度目标责任书（合成数据）", f"year: {year}", f'city: "{code}"']
    if signed_on:
        lines.append(f"signed_on: {signed_on:%Y-%m-%d}")
    lines.append("targets:")
    lines += [f"  {indicator}: {json.dumps(terms, ensure_ascii=False)}" for indicator, terms in targets.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def cache_root() -> Path:
    return Path(os.environ.get("SCORECARD_BENCH_CACHE") or Path.home() / ".cache" / "scorecard-benchmarks")


def _recipe(n: int, years) -> str:
    """What the generated data depends on: the generators' code, the shipped config and the arguments."""
    digest = hashlib.sha256(f"{n}:{years}".encode())
    for path in [Path(__file__), ROOT / "scorecard" / "actions" / "demo.py",
                 ROOT / "scorecard" / "data" / "intake.py",
                 *sorted(SHIPPED.rglob("*.yaml"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepared(n: int, years: list[int] | None = None) -> tuple[Path, Path]:
    """(config folder, database) of N units, built once into the cache folder and reused. Nine units are the
    shipped province itself (its config and the demo data), the case the dashboard was first built for."""
    shipped = n == PROVINCE and not years
    folder = cache_root() / f"{'demo' if shipped else 'synthetic'}-{n}-{_recipe(n, years)}"
    done = folder / "complete"
    if not done.exists():
        if folder.exists():
            shutil.rmtree(folder)
        if shipped:
            config, problems = load_config(SHIPPED)
            if problems:
                raise SystemExit("\n".join(map(str, problems)))
            build_demo(Store(folder / "actuals.duckdb"), config, force=True)
        else:
            build(n, folder, years=years)
        done.write_text("ok\n")
    return (SHIPPED if shipped else folder / "config"), folder / "actuals.duckdb"


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    built, _ = build(count, target, hierarchy="--hierarchy" in sys.argv[3:])
    below = f"（其下{len(built.counties)}个下级单位）" if built.counties else ""
    print(f"{len(built.cities)}个单位{below}：{target / 'config'}，{target / 'actuals.duckdb'}")
