"""全省排名 — the provincial leadership's view: rank, total and grade of every city, with the indicators
behind them. A 市州 user sees the ranking as circulated instead (scorecard.report.scope): every city's rank,
total and grade once the year-end result is final, their own row alone before that.

Up to `widgets.DETAIL_MAX` units each has its row, its bar and its heatmap column. A national roll-up (hundreds
or thousands of units) would make those unreadable and slow to draw; there the page shows the
distribution of totals by grade, each indicator's units by status, the first and last units, and every
unit in a searchable, sortable grid — with the bars and the heatmap for the units found."""

import streamlit as st

from dashboard import drawn, drill, frame, maps, published, reads, router, widgets
from scorecard import formatting as fmt
from scorecard.report import palette
from scorecard.report.columns import (
    CODE,
    MISSING,
    VETO,
    area_columns,
    ranking_columns,
    standing_columns,
    weights_text,
)
from scorecard.report.summary import summarize
from scorecard.assessment.explain import actual_and_target, completion_and_pace
from scorecard.assessment.formulas import STATUS_NAMES
from scorecard.formatting import round2

NOT_ASSESSED = "不考核"  # a heatmap cell of an indicator the city's contract has no target for


def circulated(view: frame.View) -> None:
    ranking = reads.ranking(view.source, view.year, view.month)
    grades = view.config.rules_for(ranking.year).grades
    widgets.heading(f"{ranking.year}年度各市州失业保险目标责任制考评排名（截至{ranking.month}月）",
                view.result())
    own = next((r for r in ranking.rows if r.city == view.principal.city), None)
    if own is not None:
        widgets.kpi_row([(f"本市{ranking.label}名次", f"第{own.rank}名 / {ranking.city_count}"),
                     (f"本市{ranking.label}总分", fmt.points(own.total)), ("本市等次", own.grade)])
    rows = ranking.rows
    if len(rows) <= widgets.DETAIL_MAX:
        widgets.columns_table(standing_columns() + [VETO], rows,
                              colors={"等次": [palette.grade_color(r.grade, grades) for r in rows],
                                      "市州": [palette.BLUE if r.city == view.principal.city else None for r in rows]})
    else:
        columns = standing_columns()
        widgets.columns_grid(columns[:2] + [CODE] + columns[2:] + [VETO], rows, key="circulated", search=("市州", "代码"))
    if ranking.provisional:
        st.info(f"12月以前为预估结果，只显示本市的预估名次。年终考评结果（12月）出来后，这里列出全省{ranking.city_count}个"
                "市州的名次、总分和等次。")
        widgets.footnotes(view.result())
        st.caption("本市的指标明细见“市州进度”和“年终考评”页。")
    else:
        widgets.footnotes(view.result())
        st.caption("按年终考评结果公布各市州的名次、总分和等次；其他市州的指标明细、基金和报送情况不向市州公开。"
                   "本市的得分计算见“年终考评”页。")


def totals_chart(cities, grades) -> str:
    """One bar per city, coloured by grade, with the grade thresholds."""
    shown = [drawn.Bar(c.code, widgets.city_label(c), c.total, palette.grade_color(c.grade, grades),
                       f"{fmt.points(c.total)}\n{c.grade}", f"{c.name}：{fmt.points(c.total)}分，{c.grade}")
             for c in cities]
    return drawn.bars("总分（颜色为等次）", shown,
                      [(minimum, f"{name} {minimum:g}分", palette.GREY) for name, minimum in grades[:-1]],
                      max(110.0, max(c.total for c in cities) * 1.15), "分")


def heatmap(cities) -> str:
    """Completion of each indicator (rows) of each city (columns), coloured by progress status."""
    indicators = list(dict.fromkeys((i.code, i.name) for c in cities for i in c.indicators))
    by_code = [{i.code: i for i in c.indicators} for c in cities]

    def cell(city, name, indicator) -> drawn.Cell:
        if indicator is None:
            return drawn.Cell(NOT_ASSESSED, palette.light(palette.GREY), palette.GREY,
                              f"{city.name} · {name}：{NOT_ASSESSED}")
        actual, target = actual_and_target(indicator)
        completion = completion_and_pace(indicator)[0]
        return drawn.Cell(completion, palette.STATUS_COLORS[indicator.status], "white",
                          f"{city.name} · {indicator.name}\n实际{actual}，目标{target}\n"
                          f"完成{completion}，{STATUS_NAMES[indicator.status]}")

    rows = [(name, [cell(c, name, found.get(code)) for c, found in zip(cities, by_code)]) for code, name in indicators]
    legend = [(name, 0, palette.STATUS_COLORS[status], palette.STATUS_COLORS[status])
              for status, name in STATUS_NAMES.items()]
    if any(code not in found for code, _ in indicators for found in by_code):
        legend.append((NOT_ASSESSED, 0, palette.light(palette.GREY), palette.GREY))
    return drawn.grid("各指标完成率", legend, [widgets.city_label(c) for c in cities], rows)


def details(result, cities) -> None:
    """The bars and the heatmap of `cities` (every city of `result`, or those found), made once per result."""
    codes = [c.code for c in cities]
    left, right = st.columns(2)
    with left:
        html = widgets.kept(result, ("totals", *codes), lambda: totals_chart(cities, result.rules.grades))
        clicked = drawn.show(html, "totals", f"{result.year}年{result.month}月总分", codes)
        st.caption(drill.HINT)
        drill.follow_click(clicked)
    with right:
        html = widgets.kept(result, ("heatmap", *codes), lambda: heatmap(cities))
        drawn.show(html, "heatmap", f"{result.year}年{result.month}月各指标完成率")


def distribution(summary) -> str | None:
    """How many units score how much: totals in 2-point bins, stacked by grade, with the grade thresholds."""
    grades = summary.grades
    series = [(name, [round2(c.total) for c in summary.cities if c.grade == name], palette.grade_color(name, grades))
              for name, count in summary.grade_counts().items() if count]
    return drawn.count_columns("总分分布（单位个数，颜色为等次）", 0, 2, series,
                               [(minimum, f"{name} {minimum:g}分") for name, minimum in grades[:-1]],
                               "总分（分）", "单位个数")


def status_counts(summary) -> str:
    """For each indicator, how many units are on schedule, behind, far behind, missing data or not assessed."""
    cities = summary.cities
    indicators = list(dict.fromkeys((i.code, i.name) for c in cities for i in c.indicators))
    counts = summary.status_counts()
    rows = []
    for code, name in indicators:
        rows.append((name, [(label, counts[code][status], palette.STATUS_COLORS[status], "white")
                            for status, label in STATUS_NAMES.items()]
                     + [(NOT_ASSESSED, len(cities) - sum(counts[code].values()), palette.light(palette.GREY), palette.GREY)]))
    if not any(parts[-1][1] for _, parts in rows):  # every unit assessed on every indicator: no 不考核 in the legend
        rows = [(name, parts[:-1]) for name, parts in rows]
    return drawn.count_bars("各指标进度（单位个数）", rows, "单位个数")


def edges(result) -> str:
    """The first and the last units, side by side."""
    grades, edge = result.rules.grades, widgets.EDGE_ROWS
    return widgets.columns_tables_html([(title, cities, {"等次": [palette.grade_color(c.grade, grades) for c in cities]})
                                        for title, cities in ((f"前{edge}名", result.cities[:edge]),
                                                              (f"后{edge}名", result.cities[-edge:]))],
                                       standing_columns() + [VETO, MISSING])


def overview(result, summary) -> None:
    """A national roll-up: the distribution, the indicators by status, the first and last units, and the search;
    the charts and tables made once per result (widgets.kept)."""
    left, right = st.columns(2)
    with left:
        html = widgets.kept(result, ("distribution",), lambda: distribution(summary))
        if html is None:
            st.caption("（无）")
        else:
            drawn.show(html, "distribution", f"{result.year}年{result.month}月总分分布")
    with right:
        html = widgets.kept(result, ("status counts",), lambda: status_counts(summary))
        drawn.show(html, "status_counts", f"{result.year}年{result.month}月各指标进度")
    st.html(widgets.kept(result, ("edges",), lambda: edges(result)))
    st.subheader(f"全部{len(result.cities)}个单位")
    ranking = ranking_columns(result)
    found = widgets.columns_grid(ranking[:2] + [CODE] + ranking[2:] + [VETO, MISSING], result.cities, key="ranking",
                                 search=("市州", "代码"), of=(result, "grid"))
    if 0 < len(found) <= widgets.DETAIL_MAX:
        chosen = {row["代码"] for row in found}
        details(result, [c for c in result.cities if c.code in chosen])


def every_city(result, grades) -> None:
    """A province: every city's row, bar, heatmap column and area points."""
    widgets.columns_table(standing_columns() + [VETO, MISSING], result.cities,
                          colors={"等次": [palette.grade_color(c.grade, grades) for c in result.cities]})
    details(result, result.cities)
    st.subheader("分领域得分")
    widgets.columns_table(area_columns(result), result.cities)
    st.caption(weights_text(result))


def summary_words(summary) -> tuple[list[tuple], list[str]]:
    """The KPI cards and the summary's sentences."""
    grades = summary.grades
    cards = [
        ("参评市州", f"{summary.city_count}个"),
        ("全省平均分", summary.average_text),
        (f"{grades[0][0]}等次", f"{summary.grade_counts()[grades[0][0]]}个"),
        ("基金预警", f"{len(summary.warned)}个", "可支付月数低于预警线：" + (widgets.names_text(summary.warned) or "无")),
        ("数据不全", f"{len(summary.incomplete)}个", widgets.names_text(summary.incomplete) or "各市州数据齐全"),
    ]
    return cards, summary.sentences()


def render(view: frame.View) -> None:
    if not view.principal.all_cities:
        circulated(view)
        return
    result = view.result()
    grades = result.rules.grades
    summary = widgets.kept(result, ("summary",), lambda: summarize(result, grades))
    widgets.heading(f"{result.year}年度各市州失业保险目标责任制考评排名（截至{result.month}月）", result)
    published.panel(view)
    cards, sentences = widgets.kept(result, ("summary words",), lambda: summary_words(summary))
    widgets.kpi_row(cards)
    widgets.summary_lines(sentences)
    widgets.footnotes(result)
    if len(result.cities) > widgets.DETAIL_MAX:
        overview(result, summary)
    else:
        every_city(result, grades)
    maps.ranking_section(view, result)


router.page(render)
