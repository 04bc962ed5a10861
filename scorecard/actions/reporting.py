"""Monthly figures reported online (在线填报): a 市州 reporter saves and submits their own city's month (roles.REPORT
and require_city), the province returns or accepts it (roles.REVIEW). A refusal is written to the audit log.

What is entered is checked as an import is (each measure's bounds, then the catalogue's 审核公式): a hard rule
refuses, a soft one needs a typed 说明 before the month can be submitted. Only accepted figures count: the
acceptance writes them through the import unit (data + kept original + audit line, scorecard.data.unit) as a file
named 在线填报-…, with the acceptance itself in the audit line's transaction — so history, `--as-of-import` and
completeness follow as for any import."""

from __future__ import annotations

import math
import re

from .decisions import permitted, permitted_for_city
from ..config import Config
from ..data import rulecheck
from ..data.intake import prepare
from ..data.store import Store
from ..errors import InputError
from ..records import reporting as recorded
from ..records.audit import Actor
from ..records.reporting import ReportVersion
from ..roles import REPORT, REVIEW, Principal
from .. import years

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _month(config: Config, city: str, year: int, month: int) -> str:
    if city not in {c.code for c in config.cities}:
        raise InputError(f"未知的市州代码“{city}”（见市州名单文件 cities.yaml）")
    if not years.valid(year) or not 1 <= month <= 12:
        raise InputError(f"月份应为1至12，年度应在系统的年度范围内，现在是{year}年{month}月")
    return f"{config.city(city).name}{year}年{month}月"



def parse_figures(config: Config, typed: dict[str, object]) -> dict[str, float]:
    """The figures as typed (text or numbers; 1,234 and full-width digits allowed), blank ones left out; each
    within its measure's bounds. Raises InputError naming every field that is wrong."""
    figures, wrong = {}, []
    for code, raw in typed.items():
        measure = config.measures.get(code)
        if measure is None or not measure.reported:
            raise InputError(f"未知的统计项“{code}”")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        text = raw if isinstance(raw, str) else repr(float(raw)) if not isinstance(raw, bool) else "x"
        text = text.translate(str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")).strip().replace(",", "")
        if not _NUMBER.fullmatch(text) or not math.isfinite(value := float(text)):
            wrong.append(f"{measure.name}“{raw}”不是数字")
        elif measure.min is not None and value < measure.min:
            wrong.append(f"{measure.name}不能小于{measure.min:g}，现在是{text}")
        elif abs(value) > measure.max:
            wrong.append(f"{measure.name}“{text}”超出合理范围：绝对值不能大于{measure.max:,.15g}")
        else:
            figures[code] = value
    if wrong:
        raise InputError("；".join(wrong))
    return figures


def findings(config: Config, store: Store, city: str, year: int, month: int, figures: dict[str, float]):
    """The 审核公式 on a month as entered: (hard findings, soft findings)."""
    found = rulecheck.in_entry(config, store, city, year, month, figures)
    return [f for f in found if f.hard], [f for f in found if not f.hard]


def save_report(store: Store, by: Principal, config: Config, city: str, year: int, month: int,
                typed: dict[str, object], notes: dict[str, str] | None = None, *, submit: bool = False,
                address: str | None = None) -> ReportVersion:
    """Save the month as a draft, or with `submit` hand it in for review. A submission needs every measure, no
    hard 审核公式 broken, and a 说明 for every soft one; a draft is saved as it is (a hard rule still refuses)."""
    what = _month(config, city, year, month)
    records = permitted_for_city(store, by, REPORT, config, city, f"在线填报{what}", address)
    figures = parse_figures(config, typed)
    hard, soft = findings(config, store, city, year, month, figures)
    if hard:
        raise InputError("未通过审核公式，不能保存：" + "；".join(f.message(config) for f in hard))
    kept = {code: text.strip() for code, text in (notes or {}).items() if code in config.measures and (text or "").strip()}
    if submit:
        missing = [m.name for m in config.measures.values() if m.reported and m.code not in figures]
        if missing:
            raise InputError(f"报送前须填写全部统计项，还缺：{'、'.join(missing)}")
        unexplained = [f for f in soft if f.measure not in kept]
        if unexplained:
            recorded.save(records, city, year, month, figures, kept, actor=Actor.of(by, address), submit=False,
                          what=what)
            raise InputError("已保存为草稿，尚未报送：以下数据须填写说明后才能报送——"
                             + "；".join(f.message(config) for f in unexplained))
    saved = recorded.save(records, city, year, month, figures, kept, actor=Actor.of(by, address), submit=submit,
                          what=what)
    return saved


def return_report(store: Store, by: Principal, config: Config, city: str, year: int, month: int, *, reason: str,
                  address: str | None = None) -> ReportVersion:
    what = _month(config, city, year, month)
    records = permitted(store, by, REVIEW, f"退回{what}的在线填报", address)
    if not (reason or "").strip():
        raise InputError("退回须写明理由")
    saved = recorded.returned(records, city, year, month, actor=Actor.of(by, address), reason=reason.strip(),
                              what=what)
    return saved


def accept_report(store: Store, by: Principal, config: Config, city: str, year: int, month: int, *,
                  address: str | None = None) -> ReportVersion:
    """Accept the month: its figures are imported (the import unit), the acceptance in the same audit transaction."""
    what = _month(config, city, year, month)
    records = permitted(store, by, REVIEW, f"审核通过{what}的在线填报", address)
    with records.read() as con:
        current = recorded.pending(con, city, year, month, what)
    actor = Actor.of(by, address)
    lines = ["year,month,city,measure,value"] + [f"{year},{month},{city},{code},{value!r}"
                                                   for code, value in current.figures.items()]
    name = f"在线填报-{city}-{year}-{month:02d}-第{current.version}版.csv"
    note = (f"在线填报：{what}第{current.version}版，填报人{current.entered_by}，"
            f"报送于{current.submitted_at:%Y-%m-%d %H:%M}，审核通过人{by.user}"
            + "".join(f"；{config.measures[code].name}的说明：{text}" for code, text in current.notes.items()))
    with prepare(config, store, ("\n".join(lines) + "\n").encode("utf-8"), file_name=name) as prepared:
        if not prepared.ok:
            raise InputError(f"{what}的数据不能写入数据库：" + "；".join(p.message for p in prepared.problems))
        result = prepared.commit(actor=actor, note=note, also=lambda log, done: recorded.accept_on(
            log, current, actor=actor, import_id=done.import_id, what=what))
    if result.import_id is None:
        recorded.accepted(records, current, actor=actor, what=what)
    return recorded.latest(records, city, year, month)
