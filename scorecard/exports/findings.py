"""The rule checks' findings as a workbook for caseworkers (issue 17 §3): 汇总 per city and rule, then one sheet
per rule with each finding's evidence and a blank 核查结果 column. The findings come already shown as the
reader may see them (microdata.findings.seen): their cities only, names masked for roles that may not read them."""

from __future__ import annotations

import io
from collections import defaultdict

import xlsxwriter

from ..microdata.checks import RULES
from ..microdata.findings import RULE_ORDER

HEADERS = ("市州", "人员标识", "姓名", "涉及金额（元）", "核查依据", "核查结果")
WIDTHS = (14, 15, 10, 14, 70, 14)


def findings_workbook(found, city_names: dict[str, str], year: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "vcenter"})
    text = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    money = book.add_format({"border": 1, "num_format": "#,##0.00", "valign": "top"})
    whole = book.add_format({"border": 1, "num_format": "#,##0", "valign": "top"})

    totals = defaultdict(lambda: [0, 0.0])
    for f in found:
        totals[(f.city, f.rule)][0] += 1
        totals[(f.city, f.rule)][1] += f.amount
    summary = book.add_worksheet("汇总")
    summary.write(0, 0, f"{year}年个人记录规则检查结果汇总", title)
    summary.write_row(2, 0, ("市州", "检查规则", "发现数", "涉及金额（元）"), head)
    for row, ((city, rule), (count, amount)) in enumerate(sorted(totals.items(), key=lambda item: (item[0][0], RULE_ORDER.index(item[0][1]))), start=3):
        summary.write(row, 0, city_names.get(city, city), text)
        summary.write(row, 1, RULES[rule], text)
        summary.write_number(row, 2, count, whole)
        summary.write_number(row, 3, amount, money)
    if not totals:
        summary.write(3, 0, "未发现问题")
    summary.set_column(0, 1, 26)
    summary.set_column(2, 3, 16)

    for rule, name in RULES.items():
        sheet = book.add_worksheet(name[:31])
        sheet.write(0, 0, f"{year}年 {name}", title)
        sheet.write_row(2, 0, HEADERS, head)
        for column, width in enumerate(WIDTHS):
            sheet.set_column(column, column, width)
        rows = [f for f in found if f.rule == rule]
        for row, f in enumerate(rows, start=3):
            sheet.write(row, 0, city_names.get(f.city, f.city), text)
            sheet.write(row, 1, f.person, text)
            sheet.write(row, 2, f.person_name or "", text)
            sheet.write_number(row, 3, f.amount, money)
            sheet.write(row, 4, "\n".join(f.evidence), text)
            sheet.write_blank(row, 5, None, text)
            sheet.set_row(row, 15 * len(f.evidence) + 4)
        if not rows:
            sheet.write(3, 0, "未发现问题")
        sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()
