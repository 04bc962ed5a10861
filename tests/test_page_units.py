"""A page writes figures of one kind in one unit: the province's totals beside the cities' in persons alike
(目标责任书 and 目标制定 put a province's sums next to each city's targets)."""

from __future__ import annotations

import re

import pytest
from page_support import everything, goto

from scorecard.roles import ADMIN

HEAD_COUNT = re.compile(r"\d(万?)(人次|人|户)")


@pytest.mark.parametrize("page", ["contracts", "targets"])
def test_head_counts_are_in_one_unit_on_a_page(page, demo_db, shipped_config_dir, open_app):
    app = goto(open_app(shipped_config_dir, demo_db, {"year": "2003"}, as_=ADMIN), page)
    units = {ten_thousand + unit for ten_thousand, unit in HEAD_COUNT.findall(everything(app))}
    assert units and not any(unit.startswith("万") for unit in units), units
