"""contracts/<year>/*.yaml: one contract a file, each city's targets for a year, checked against the
catalogue, the cities and the rules in force for that year."""

from __future__ import annotations

from pathlib import Path

from .checks import FileCheck, read, year_named
from .model import City, Contract, Measure, Rules, Target
from .schema import ContractHead, TargetTerms
from .terms import parse_bonus, parse_method, target_keys
from .translate import suggestion
from .yamlsource import Problem, YMap


def _targets(check: FileCheck, raw: YMap, catalogue, measures: dict[str, Measure], rules: Rules,
             shared: dict) -> tuple[list[Target], bool]:
    """The targets that are right, and whether every weight is a number (so that their sum can be checked);
    `catalogue` is (the indicators, the codes of every indicator written, right or not)."""
    catalogue, written = catalogue
    targets: list[Target] = []
    weights_ok = True
    allowed = target_keys()
    for code, entry in raw.items():
        line = raw.line_of(code)
        indicator = catalogue.get(code)
        if indicator is None and code in written:
            continue  # wrong in indicators.yaml, and said there
        if indicator is None:
            check.error(line, f"未知的指标“{code}”{suggestion(code, catalogue)}（见指标目录文件 indicators.yaml）")
            continue
        what = f"指标“{code}”（{indicator.name}）"
        entry = check.mapping(entry, line, what)
        if entry is None:
            weights_ok = False
            continue
        check.known_keys(entry, allowed, what)
        terms = check.validated(TargetTerms, entry, what, {"indicator": indicator, "measures": measures})
        weight = terms.weight if terms else _weight(entry)
        if weight is None:
            weights_ok = False
            continue
        method = parse_method(check, entry, indicator, weight, rules.total_points, what, shared)
        bonus_raw = entry.get("bonus", indicator.scoring.get("bonus"))
        bonus = parse_bonus(check, bonus_raw, entry.line_of("bonus"), what, rules.total_points, shared)
        if terms is None or method is None or (bonus_raw is not None and bonus is None):
            continue
        targets.append(Target(code, terms.target, weight, method, bonus, line))
    return targets, weights_ok and all(_weight(entry) is not None for entry in raw.values())


def _weight(entry) -> float | None:
    """A weight that is right though the rest of its target is not: the weights' sum is still checked."""
    weight = entry.get("weight") if isinstance(entry, YMap) else None
    ok = isinstance(weight, (int, float)) and not isinstance(weight, bool) and 0 <= weight < float("inf")
    return float(weight) if ok else None


def load_contract(path: Path, directory: Path, folder_year: int, catalogue,
                  measures: dict[str, Measure], cities: dict[str, City], rules: Rules, problems: list[Problem],
                  shared: dict):
    """One contract; `shared` holds one instance of each method and bonus rule (thousands of contracts
    repeat a few of them: less memory, and a smaller cache entry)."""
    doc, check = read(directory, str(path.relative_to(directory)), problems)
    if doc is None or (doc := check.mapping(doc, 1, "目标责任书")) is None:
        return None
    head = check.validated(ContractHead, doc, "目标责任书", {"year": folder_year, "cities": cities})
    raw = doc.get("targets")
    if not isinstance(raw, YMap):
        return None
    targets, weights_ok = _targets(check, raw, catalogue, measures, rules, shared)
    if weights_ok and raw:
        total = sum(float(v["weight"]) for v in raw.values())
        if abs(total - rules.total_points) > 1e-6:
            check.error(doc.line_of("targets"),
                        f"各指标权重合计为{total:g}分，应为{rules.total_points:g}分（评分规则文件 scoring.yaml 的总分 total_points）")
    if not raw:
        check.error(doc.line_of("targets"), "目标责任书没有任何指标")
    if head is None or not raw:
        return None
    return Contract(head.year, head.city, tuple(targets), check.display, head.signed_on)


def load_contracts(directory: Path, catalogue, measures, cities, rules_for, problems: list[Problem]):
    """Each year's contracts, checked against the rules it is scored with (`rules_for(year)`)."""
    root = directory / "contracts"
    contracts: dict[tuple[int, str], Contract] = {}
    if not root.is_dir():
        problems.append(Problem(str(root), None, "缺少目标责任书文件夹 contracts/<年度>/"))
        return contracts
    shared: dict = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        year = year_named(folder, folder.name, f"文件夹名“{folder.name}”应当是四位年度，如 2003", problems)
        if year is None:
            continue
        rules = rules_for(year)
        for path in sorted(folder.glob("*.y*ml")):
            before = len(problems)
            contract = load_contract(path, directory, year, catalogue, measures, cities, rules, problems,
                                     shared)
            if contract is None or len(problems) > before:
                continue
            key = (contract.year, contract.city)
            if key in contracts:
                problems.append(Problem(str(path), None,
                                        f"{contract.year}年{cities[contract.city].name}已有一份目标责任书"
                                        f"（{contracts[key].source}），每个市州每年只能有一份"))
                continue
            contracts[key] = contract
    return contracts
