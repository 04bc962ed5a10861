"""Publication (发布) and what has changed since (发布后变动): the published result is made from `score_year` once and
stored twice — as the JSON of `scorecard score --format json` (report.serialize) and whole (report.archive), for
the pages and documents to draw as published; nothing computed later changes it. Its
inputs are fingerprinted (the config's digest, the data's imports, the decisions on record in force) so that the
changes since can say why: a later import, a decision added, changed or withdrawn, a changed config."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from . import archive
from .. import formatting as fmt
from ..assessment.decisions import records_of
from ..assessment.fingerprint import outcomes_in_force, scores_from_records
from ..assessment.results import YearResult
from ..assessment.scoring import resolve_month, score_year
from ..config import Config
from ..data import history
from ..data.store import Store
from ..errors import InputError
from ..records import publications
from ..records.decisions import latest
from ..records.publications import Publication
from .serialize import score_dict, to_json


def inputs_of(config: Config, store: Store, year: int) -> dict:
    """What a result of `year` is made of, to be stored with it."""
    imports = history.imports(store)
    records = records_of(store)
    decided = [] if records is None else [d for each in (year - 1, year) for d in latest(records, each)]
    checks = {"finding_checks": [c.id for c in outcomes_in_force(store, year)]} \
        if scores_from_records(config, year) else {}
    return {"config": config.fingerprint,
            "latest_import": max((r.import_id for r in imports), default=None),
            "imports": sorted(r.import_id for r in imports),
            "decisions": sorted([d.decision_id, d.version] for d in decided), **checks}


def current_json(config: Config, store: Store, year: int, month: int) -> str:
    return to_json(score_dict(score_year(config, store, year, month)))


def in_force(store: Store, year: int, month: int) -> Publication | None:
    """The latest publication of a year as of a month, None when it was never published."""
    records = records_of(store)
    found = [] if records is None else [p for p in publications.listed(records, year) if p.month == month]
    return found[-1] if found else None


def published_result(store: Store, publication: Publication) -> YearResult | None:
    """A publication's result, whole, citing it; None for one made before results were kept whole."""
    kept = publications.archive(records_of(store), publication)
    return None if kept is None else archive.load(kept, publication.title)


def official_result(config: Config, store: Store, year: int, month: int | None = None,
                    number: int | None = None) -> YearResult:
    """What pages and documents show: the publication 第`number`号 of the year, else the one in force for the month,
    else — never published, or published before results were kept whole — the result computed now."""
    records = records_of(store)
    if number is not None:
        if records is None:
            raise InputError(f"{year}年度还没有发布过考评结果（scorecard publish 可发布）")
        chosen = publications.chosen(records, year, number=number)
    elif records is None:
        chosen = None
    else:
        if month is None:
            with store.reader() as con:
                month, _ = resolve_month(con, store, year, None)
        chosen = in_force(store, year, month)
    kept = published_result(store, chosen) if chosen is not None else None
    return kept if kept is not None else score_year(config, store, year, month)


def shown_as_of(store: Store, result: YearResult) -> int | None:
    """The last import behind a result, when later imports exist — a publication's, or a result computed as of an
    import — so that figures drawn beside it (its months, its pace) are computed from the same data; None: the
    data as it stands is the result's."""
    if result.publication is None:
        return result.as_of_import
    records = records_of(store)
    found = [] if records is None else [p for p in publications.listed(records, result.year)
                                        if p.title == result.publication.title]
    latest = found[0].fingerprint.get("latest_import") if found else None
    newest = next((r.import_id for r in history.imports(store, 1)), None)  # the log is newest first
    return latest if latest is not None and latest != newest else None


@dataclass(frozen=True)
class Change:
    city: str
    name: str
    figure: str              # 总分, 名次, 等次, 一票否决, 加减分, or an indicator's 完成值 / 得分
    published: object
    now: object
    unit: str = ""           # 分, 名, an indicator's unit; "" for words

    @property
    def texts(self) -> tuple[str, str]:
        """The figure as published and as now, as shown (2,345人, 第3名, 86.52分)."""
        return figure_text(self.published, self.unit), figure_text(self.now, self.unit)


@dataclass(frozen=True)
class Changes:
    publication: Publication
    figures: tuple[Change, ...]
    reasons: tuple[str, ...]   # why: the imports, decisions and config changed since


_CITY_FIGURES = (("total", "总分", "分"), ("rank", "名次", "名"), ("grade", "等次", ""), ("veto", "一票否决", ""),
                 ("adjustment", "加减分", "分"), ("bonus", "加分", "分"))
_INDICATOR_FIGURES = (("actual", "完成值", None), ("points", "得分", "分"))  # None: the indicator's unit


def figure_text(value, unit: str) -> str:
    """A figure of a change as shown: in its unit, a list of veto items joined, nothing as —."""
    if isinstance(value, list):
        return "、".join(map(str, value)) or "无"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "—" if value is None else str(value)
    if unit == "名":
        return f"第{value}名"
    return f"{fmt.points(value)}分" if unit == "分" else fmt.quantity(value, unit)


def _differ(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return not math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return a != b


def changes_since(config: Config, store: Store, publication: Publication) -> Changes:
    """Which cities and figures a result computed now would show differently from `publication`, and why."""
    before = json.loads(publication.result)
    now = json.loads(current_json(config, store, publication.year, publication.month))
    was = {c["city"]: c for c in before["cities"]}
    figures = []
    for city in now["cities"]:
        old = was.pop(city["city"], None)
        if old is None:
            figures.append(Change(city["city"], city["name"], "考评对象", "无", "新增"))
            continue
        figures += [Change(city["city"], city["name"], label, old.get(key), city.get(key), unit)
                    for key, label, unit in _CITY_FIGURES if _differ(old.get(key), city.get(key))]
        old_indicators = {i["code"]: i for i in old["indicators"]}
        for indicator in city["indicators"]:
            previous = old_indicators.get(indicator["code"], {})
            known = config.indicators.get(indicator["code"])
            label, measured = (known.name, known.unit) if known else (indicator["code"], "")
            figures += [Change(city["city"], city["name"], f"{label}{what}", previous.get(key), indicator.get(key),
                               measured if unit is None else unit)
                        for key, what, unit in _INDICATOR_FIGURES if _differ(previous.get(key), indicator.get(key))]
    figures += [Change(code, old["name"], "考评对象", "有", "无") for code, old in was.items()]
    return Changes(publication, tuple(figures), _reasons(config, store, publication))


def _unit_name(config: Config, code: str) -> str:
    return config.city(code).name if code in config.unit_lookup else code


def _reasons(config: Config, store: Store, publication: Publication) -> tuple[str, ...]:
    used = publication.fingerprint
    now = inputs_of(config, store, publication.year)
    reasons = []
    known = set(used["imports"])
    for record in sorted(history.imports(store), key=lambda r: r.import_id):
        if record.import_id not in known:
            reasons.append(f"发布后的第{record.import_id}次导入（{record.file_name}，"
                           f"{record.imported_at:%Y-%m-%d %H:%M}）")
    then = {tuple(d) for d in used["decisions"]}
    ids_then = {d for d, _ in then}
    for decision_id, version in sorted({tuple(d) for d in now["decisions"]} - then):
        reasons.append(f"考评决定（编号{decision_id}）{'修改或撤销' if decision_id in ids_then else '新登记'}"
                       f"（第{version}版）")
    if "finding_checks" in used:    # 违规领取金额占比 scored: an outcome recorded since changes it
        from ..microdata.checks import RULES   # Ibis loads only here

        then_checked = set(used["finding_checks"])
        reasons += [f"发布后登记的规则核查结果（{_unit_name(config, c.city)}{RULES.get(c.rule, c.rule)}，核查{c.outcome}，"
                    f"{c.created_at:%Y-%m-%d %H:%M}）"
                    for c in outcomes_in_force(store, publication.year) if c.id not in then_checked]
    if used["config"] != now["config"]:
        reasons.append("配置文件有改动（目标责任书、评分规则或配置文件中的考评决定）")
    return tuple(reasons)
