"""The rule checks' findings as a workbook for caseworkers (issue 17 §3): 汇总 per city (findings, outcomes,
违规领取金额占比) and per city and rule, then one sheet per rule with each finding's evidence and its 核查结果. The
findings come already shown as the reader may see them (assessment.person_findings.checked): their cities only,
names masked for roles that may not read them."""

from __future__ import annotations

import io
from collections import defaultdict

import xlsxwriter

from ..microdata.checks import RULES
from ..microdata.findings import RULE_ORDER
from .excel import printed_wide

HEADERS = ("市州", "发现编号", "姓名", "涉及金额（元）", "核查依据", "核查结果", "核查说明")
WIDTHS = (14, 30, 10, 14, 70, 10, 30)
CITY_HEADERS = ("市州", "发现数", "待核查", "属实", "不属实", "涉及金额（元）", "实发失业保险金（元）", "违规领取金额占比")


def findings_workbook(rows, cities, year: int) -> bytes:
    """`rows`: CheckedFinding; `cities`: CityFindings of the same run."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "vcenter"})
    text = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    money = book.add_format({"border": 1, "num_format": "#,##0.00", "valign": "top"})
    whole = book.add_format({"border": 1, "num_format": "#,##0", "valign": "top"})
    share = book.add_format({"border": 1, "num_format": "0.00%", "valign": "top"})
    names = {c.city: c.name for c in cities}

    summary = book.add_worksheet("汇总")
    summary.write(0, 0, f"{year}年个人记录规则检查结果汇总", title)
    summary.write_row(2, 0, CITY_HEADERS, head)
    for row, c in enumerate(cities, start=3):
        summary.write(row, 0, c.name, text)
        for column, count in enumerate((c.found, c.pending, c.confirmed, c.not_confirmed), start=1):
            summary.write_number(row, column, count, whole)
        summary.write_number(row, 5, c.improper_amount, money)
        summary.write_number(row, 6, c.paid_amount, money)
        if c.improper_share is None:
            summary.write(row, 7, "—", text)
        else:
            summary.write_number(row, 7, c.improper_share, share)
    below = 3 + max(len(cities), 1) + 1
    summary.write(below, 0, "按检查规则", title)
    summary.write_row(below + 1, 0, ("市州", "检查规则", "发现数", "涉及金额（元）"), head)
    totals = defaultdict(lambda: [0, 0.0])
    for r in rows:
        totals[(r.finding.city, r.finding.rule)][0] += 1
        totals[(r.finding.city, r.finding.rule)][1] += r.finding.amount
    order = {c.city: k for k, c in enumerate(cities)}
    ranked = sorted(totals.items(), key=lambda item: (order.get(item[0][0], len(order)), RULE_ORDER.index(item[0][1])))
    for row, ((city, rule), (count, amount)) in enumerate(ranked, start=below + 2):
        summary.write(row, 0, names.get(city, city), text)
        summary.write(row, 1, RULES[rule], text)
        summary.write_number(row, 2, count, whole)
        summary.write_number(row, 3, amount, money)
    if not totals:
        summary.write(below + 2, 0, "未发现问题")
    summary.set_column(0, 1, 26)
    summary.set_column(2, 7, 16)
    printed_wide(summary, 2)

    for rule, name in RULES.items():
        sheet = book.add_worksheet(name[:31])
        sheet.write(0, 0, f"{year}年 {name}", title)
        sheet.write_row(2, 0, HEADERS, head)
        for column, width in enumerate(WIDTHS):
            sheet.set_column(column, column, width)
        own = [r for r in rows if r.finding.rule == rule]
        for row, r in enumerate(own, start=3):
            f = r.finding
            sheet.write(row, 0, names.get(f.city, f.city), text)
            sheet.write(row, 1, f.key, text)
            sheet.write(row, 2, f.person_name or "", text)
            sheet.write_number(row, 3, f.amount, money)
            sheet.write(row, 4, "\n".join(f.evidence), text)
            sheet.write(row, 5, r.status, text)
            sheet.write(row, 6, (r.check.note or "") if r.check else "", text)
            sheet.set_row(row, 15 * len(f.evidence) + 4)
        if not own:
            sheet.write(3, 0, "未发现问题")
        sheet.freeze_panes(3, 0)
        printed_wide(sheet, 2)
    book.close()
    return buffer.getvalue()
