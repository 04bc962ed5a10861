"""contracts/<year>/*.yaml: one contract a file, each city's targets for a year, checked against the
catalogue, the cities and the rules in force for that year."""

from __future__ import annotations

from pathlib import Path

from .checks import FileCheck, read, year_named
from .model import Amendment, City, Contract, Measure, Rules, Target
from .schema import AmendmentHead, ContractHead, TargetTerms
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
        _check_weights(check, [float(v["weight"]) for v in raw.values()], rules, doc.line_of("targets"), "各指标权重合计")
    if not raw:
        check.error(doc.line_of("targets"), "目标责任书没有任何指标")
    if head is None or not raw:
        return None
    amendments = _amendments(check, doc, head, targets, catalogue, measures, rules, shared)
    return Contract(head.year, head.city, tuple(targets), check.display, head.signed_on, amendments)


def _check_weights(check: FileCheck, weights: list[float], rules: Rules, line: int, what: str) -> None:
    total = sum(weights)
    if abs(total - rules.total_points) > 1e-6:
        check.error(line, f"{what}为{total:g}分，应为{rules.total_points:g}分（评分规则文件 scoring.yaml 的总分 total_points）")


def _amendments(check: FileCheck, doc: YMap, head: ContractHead, signed: list[Target], catalogue, measures,
                rules: Rules, shared: dict) -> tuple[Amendment, ...]:
    """The contract's 目标调整 in date order, each with every target in force after it (weights adding up again)."""
    raw = doc.get("amendments")
    if raw is None or (raw := check.sequence(raw, doc.line_of("amendments"), "目标调整 amendments")) is None:
        return ()
    amendments: list[Amendment] = []
    current = {t.indicator: t for t in signed}
    for index, entry in enumerate(raw):
        line = raw.line_of(index)
        what = f"第{index + 1}项目标调整"
        entry = check.mapping(entry, line, what)
        if entry is None:
            continue
        terms = check.validated(AmendmentHead, entry, what, {"year": head.year, "signed_on": head.signed_on})
        written = entry.get("targets")
        if terms is None or (written is not None and check.mapping(written, entry.line_of("targets"), what) is None):
            continue
        if amendments and terms.date <= amendments[-1].date:
            check.error(entry.line_of("date"), f"{what}的生效日期应晚于上一项（{amendments[-1].date:%Y-%m-%d}），请按日期先后写")
            continue
        before = len(check.problems)
        changed, _ = _targets(check, written, catalogue, measures, rules, shared) if written else ([], True)
        for code in terms.removed:
            if code not in current:
                check.error(entry.line_of("removed"), f"{what}要取消的指标“{code}”{suggestion(code, list(current))}"
                                                      "不在调整前的目标责任书中")
        if not changed and not terms.removed:
            check.error(entry.line, f"{what}既没有调整任何指标（targets），也没有取消指标（removed）")
        if len(check.problems) > before:
            continue
        after = {**current, **{t.indicator: t for t in changed}}
        for code in terms.removed:
            after.pop(code)
        _check_weights(check, [t.weight for t in after.values()], rules, entry.line, f"{what}后各指标权重合计")
        if len(check.problems) > before:
            continue
        current = after
        amendments.append(Amendment(terms.date, terms.reason, tuple(after.values()),
                                    tuple(t.indicator for t in changed) + tuple(terms.removed), entry.line))
    return tuple(amendments)


def load_contracts(directory: Path, catalogue, measures, cities, rules_for, problems: list[Problem]):
    """Each year's contracts, checked against the rules it is scored with (`rules_for(year)`). `cities` holds
    every unit: the 市州's contracts are the year folder's files, those a 市州 (or another unit) signed with the
    units below it are in a folder named by its code (contracts/2003/220100/220182-榆树市.yaml)."""
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
        for parent, path in _contract_files(folder, cities, problems):
            before = len(problems)
            contract = load_contract(path, directory, year, catalogue, measures, cities, rules, problems,
                                     shared)
            if contract is None or len(problems) > before or not _in_its_folder(contract, parent, cities, path, problems):
                continue
            key = (contract.year, contract.city)
            if key in contracts:
                problems.append(Problem(str(path), None,
                                        f"{contract.year}年{cities[contract.city].name}已有一份目标责任书"
                                        f"（{contracts[key].source}），每个市州每年只能有一份"))
                continue
            contracts[key] = contract
    return contracts


def _contract_files(folder: Path, cities, problems: list[Problem]):
    """(the code of the folder's unit or None for the year folder, file) of every contract of a year folder."""
    yield from ((None, path) for path in sorted(folder.glob("*.y*ml")))
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if sub.name not in cities:
            problems.append(Problem(str(sub), None, f"文件夹名“{sub.name}”应当是签订下级目标责任书的单位的代码，"
                                                    f"如 220100（长春市与所辖县（市、区）签订的）{suggestion(sub.name, cities)}"))
            continue
        for nested in sorted(p for p in sub.iterdir() if p.is_dir()):
            problems.append(Problem(str(nested), None, "此处不能再有文件夹：下级单位的目标责任书都放在"
                                                       f"以其上级代码命名的文件夹中，如 {folder.name}/<上级代码>/"))
        yield from ((sub.name, path) for path in sorted(sub.glob("*.y*ml")))


def _in_its_folder(contract: Contract, parent: str | None, cities, path: Path, problems: list[Problem]) -> bool:
    """A 市州's contract in the year folder, a lower unit's in the folder of its parent."""
    unit = cities[contract.city]
    lower = unit.parent in cities  # the parent of a 市州 is the province (not a unit assessed) or None
    if parent is None and not lower:
        return True
    if parent is not None and unit.parent == parent:
        return True
    year = path.parent.name if parent is None else path.parent.parent.name
    if not lower:
        problems.append(Problem(str(path), None, f"{unit.name}是市州，它的目标责任书应放在年度文件夹 {year}/ 中"))
    else:
        problems.append(Problem(str(path), None, f"{unit.name}的上级是{cities[unit.parent].name}（{unit.parent}），"
                                                 f"它的目标责任书应放在 {year}/{unit.parent}/ 文件夹中"))
    return False
