"""排名稳健性 in words, cells and JSON: what the page, `scorecard robustness` and its JSON show of
assessment.robustness, each string made here once."""

from __future__ import annotations

from ..assessment.robustness import AREA, LEFT_OUT, CityRobustness, Robustness, Scenario
from .summary import names

TITLE = "排名稳健性"


def city_label(city: CityRobustness) -> str:
    return city.short or city.name


def shift_text(shift: int) -> str:
    """↑2 (up two places), ↓1, or nothing for no change."""
    return "" if shift == 0 else f"↑{shift}" if shift > 0 else f"↓{-shift}"


def rank_cell(city: CityRobustness, index: int) -> str:
    """The rank under scenario `index`, with its shift from the base: 7, 8↓1."""
    return f"{city.ranks[index]}{shift_text(city.shifts[index])}"


def kinds_text(robustness: Robustness) -> str:
    """等权重、4个领域权重各±20%、逐一不计9项指标 — what the scenarios are."""
    areas = sum(1 for s in robustness.variants if s.kind == AREA) // 2
    left_out = sum(1 for s in robustness.variants if s.kind == LEFT_OUT)
    return "、".join(["等权重"] + ([f"{areas}个领域权重各±20%"] if areas else [])
                    + ([f"逐一不计{left_out}项指标"] if left_out else []))


def _codes_text(robustness: Robustness, codes) -> str:
    by_code = {c.city: c for c in robustness.cities}
    return names([city_label(by_code[code]) for code in codes if code in by_code])


def _excellent_change(robustness: Robustness, scenario: Scenario) -> str:
    base = set(robustness.scenarios[0].excellent)
    added, dropped = set(scenario.excellent) - base, base - set(scenario.excellent)
    order = [c.city for c in robustness.cities]
    parts = ([f"增加{_codes_text(robustness, sorted(added, key=order.index))}"] if added else []) + (
        [f"减少{_codes_text(robustness, sorted(dropped, key=order.index))}"] if dropped else [])
    return f"{scenario.label}（{robustness.excellent_grade}{'，'.join(parts)}）"


def sentences(robustness: Robustness) -> list[str]:
    """The summary: how many scenarios, who moves and how far, whether the first place or the 优秀 set changes."""
    count = len(robustness.variants)
    intro = f"在{count}种情景下（{kinds_text(robustness)}）"
    if not robustness.whole:
        return [_own_sentence(robustness, intro, city) for city in robustness.cities]
    moved = robustness.moved()
    if not moved:
        lines = [f"{intro}，各市州名次均不变，排名是稳健的。"]
    else:
        most = [c for c in moved if c.max_shift == moved[0].max_shift]
        lines = [f"{intro}，{len(moved)}个市州名次有变，排名变化最大的是{names([city_label(c) for c in most])}"
                 f"（最多变动{moved[0].max_shift}位）。",
                 "名次有变的市州：" + names([f"{city_label(c)}（最多{c.max_shift}位，{c.moves}种情景）" for c in moved],
                                       limit=20) + (f"；其余{len(robustness.cities) - len(moved)}个市州名次不变。"
                                                    if len(moved) < len(robustness.cities) else "。")]
    top = robustness.changing_top()
    if top:
        lines.append("改变第一名的情景：" + "；".join(
            f"{s.label}（第一名为{_codes_text(robustness, s.top)}）" for s in top) + "。")
    else:
        lines.append(f"第一名在各情景下都是{_codes_text(robustness, robustness.scenarios[0].top)}。")
    changed = robustness.changing_excellent()
    if changed:
        lines.append(f"改变{robustness.excellent_grade}名单的情景：" + "；".join(
            _excellent_change(robustness, s) for s in changed) + "。")
    else:
        lines.append(f"{robustness.excellent_grade}等次的市州在各情景下不变。")
    return lines


def _own_sentence(robustness: Robustness, intro: str, city: CityRobustness) -> str:
    if not city.moves:
        return f"{intro}，{city.name}的名次均为第{city.base_rank}名，不变。"
    return (f"{intro}，{city.name}的名次在{city.moves}种情景下有变，最好第{city.best_rank}名、"
            f"最差第{city.worst_rank}名（基准第{city.base_rank}名）。")


def heading(robustness: Robustness) -> str:
    return (f"{robustness.year}年度各市州考评{TITLE}（截至{robustness.month}月，{robustness.label}；"
            "各情景只改变权重，加分、加减分和一票否决不变）")


def method_note() -> str:
    return ("等权重：每个市州目标责任书的各项指标权重相同，总分值不变。领域权重±20%：该领域各指标权重乘以1.2或0.8，"
            "再按比例调整全部权重使其合计仍为总分值。不计某项指标：该指标的权重按比例分给其余指标。各指标保持其完成情况"
            "所得的权重份额（按差距扣分的每步扣分和最多扣分随权重同比例变化）。方法参照经济合作与发展组织和"
            "欧盟联合研究中心的《构建综合指数手册》（2008）的不确定性与敏感性分析。")


def robustness_dict(robustness: Robustness) -> dict:
    """The JSON of `scorecard robustness --format json` (README: 排名稳健性)."""
    keys = [s.key for s in robustness.scenarios]
    whole = robustness.whole
    return {
        "year": robustness.year,
        "month": robustness.month,
        "provisional": robustness.provisional,
        "scenarios": [{
            "key": s.key,
            "kind": s.kind,
            "label": s.label,
            "area": s.area,
            "factor": s.factor,
            "indicator": s.indicator,
            "top": list(s.top) if s.top is not None else None,
            "excellent": list(s.excellent) if s.excellent is not None else None,
            "changes_top": s in robustness.changing_top() if whole else None,
            "changes_excellent": s in robustness.changing_excellent() if whole else None,
            "mean_abs_shift": robustness.mean_shift(k) if whole else None,
        } for k, s in enumerate(robustness.scenarios)],
        "cities": [{
            "city": c.city,
            "name": c.name,
            "base_rank": c.base_rank,
            "ranks": dict(zip(keys, c.ranks)),
            "shifts": dict(zip(keys, c.shifts)),
            "totals": {key: p.total for key, p in zip(keys, c.placings)},
            "grades": {key: p.grade for key, p in zip(keys, c.placings)},
            "max_abs_shift": c.max_shift,
            "scenarios_moved": c.moves,
            "best_rank": c.best_rank,
            "worst_rank": c.worst_rank,
        } for c in robustness.cities],
        "summary": sentences(robustness),
    }
