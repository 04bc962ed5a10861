"""Deterministic synthetic data for N assessed units, for benchmarks (not shipped, not tests).

`build(n, directory)` writes a config folder for N units (cities.yaml, the shipped catalogue and
scoring rules, one contract per unit and year modelled on the shipped contracts with scaled
targets, and assessments with some adjustments and vetoes) and fills a DuckDB with monthly
actuals from the demo generator, which gives every unknown code its own scale and performance.
The same N always gives the same files and the same numbers.

    python benchmarks/synthetic.py 330 /tmp/synthetic    # then: scorecard --config /tmp/synthetic/config
                                                         #       --db /tmp/synthetic/actuals.duckdb score --year 2003
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import yaml

from scorecard.config import PERCENT, Config
from scorecard.demo import build_demo
from scorecard.store import Store
from scorecard.validation import load_config

SHIPPED = Path(__file__).resolve().parent.parent / "config"
FIRST = "东西南北中上下前后大小长永安新兴和平宁泰丰富华阳青白红金玉龙凤鹤松柏桦榆梨桃清明德"
SECOND = "山河湖江川原林岭泉溪城关台营岗屯甸沟堡桥"
KINDS = ("县", "市", "区", "旗")
SEED = 330


def unit_names(n: int) -> list[str]:
    """n distinct place names; every 23rd is long, like 延边朝鲜族自治州."""
    names, seen = [], set()
    for first in FIRST:
        for second in SECOND:
            for kind in KINDS:
                name = first + second + kind
                if name not in seen:
                    seen.add(name)
                    names.append(name)
    random.Random(SEED).shuffle(names)
    chosen = names[:n]
    for k in range(0, n, 23):
        chosen[k] = chosen[k][:-1] + "朝鲜族满族自治" + chosen[k][-1]
    return chosen


def _scaled(target, unit: str, scale: float):
    if unit == PERCENT or isinstance(target, str):
        return target
    value = target * scale
    return round(value, 2) if unit == "万元" else max(1, round(value))


def build(n: int, directory, source=SHIPPED) -> tuple[Config, Store]:
    directory = Path(directory)
    config_dir = directory / "config"
    if config_dir.exists():
        shutil.rmtree(config_dir)
    (config_dir / "contracts").mkdir(parents=True)
    shipped, problems = load_config(source)
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    for name in ("indicators.yaml", "scoring.yaml"):
        shutil.copy(Path(source) / name, config_dir / name)
    codes = [f"{900001 + k}" for k in range(n)]
    cities = [{"code": code, "name": name} for code, name in zip(codes, unit_names(n))]
    _dump(config_dir / "cities.yaml", {"cities": cities})

    rng = random.Random(SEED)
    templates = sorted(Path(source, "contracts").glob("*/*.yaml"))
    for year in shipped.years():
        year_templates = [p for p in templates if p.parent.name == str(year)]
        (config_dir / "contracts" / str(year)).mkdir()
        for k, code in enumerate(codes):
            contract = yaml.safe_load(year_templates[k % len(year_templates)].read_text(encoding="utf-8"))
            scale = 0.1 + rng.random() * 1.2
            contract["city"] = code
            for indicator, terms in contract["targets"].items():
                terms["target"] = _scaled(terms["target"], shipped.indicators[indicator].unit, scale)
            _dump(config_dir / "contracts" / str(year) / f"{code}.yaml", contract)
        _dump(config_dir / "assessments" / f"{year}.yaml", {
            "year": year,
            "adjustments": [{"city": code, "points": -2, "reason": "未按时报送统计报表"}
                            for k, code in enumerate(codes) if k % 37 == 5],
            "veto": [{"city": code, "item": "拖欠失业保险金", "reason": "延迟发放失业保险金"}
                     for k, code in enumerate(codes) if k % 53 == 7],
        })
    config, problems = load_config(config_dir)
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    store = Store(directory / "actuals.duckdb")
    build_demo(store, config, force=True)
    return config, store


def _dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None),
                    encoding="utf-8")


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    built, _ = build(count, target)
    print(f"{len(built.cities)}个单位：{target / 'config'}，{target / 'actuals.duckdb'}")
