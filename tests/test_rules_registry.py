"""The registry of scorecard.rules is the only place that knows a scoring method: a method written in a module
of its own is checked, scored and explained without any other module being changed."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from scorecard.assessment.explain import calculation_text, method_text
from scorecard.assessment.scoring import score_year
from scorecard.config import METHOD_NAMES, load_config
from scorecard.rules import METHODS
from test_cases import build

TOY = '''
from scorecard.rules import METHODS, Field, ScoringMethod, StrictFloat


@METHODS.register
class Share(ScoringMethod):
    """完成目标得 share 成的分，未完成不得分."""

    name = "share_if_met"
    title = "完成得部分分"
    share: StrictFloat = Field(gt=0, le=1, description="完成目标时得权重的几成")

    def points(self, weight, r, shortfall):
        return weight * self.share if r >= 1 else 0.0

    def rule_text(self, weight, percent, lower_rate=False):
        return f"完成目标得{weight * self.share:g}分"

    def points_text(self, points, weight, shortfall, shown):
        return f"，按部分分得{shown}分"
'''


@pytest.fixture
def toy_method(tmp_path):
    path = tmp_path / "toy_share.py"
    path.write_text(TOY, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("toy_share", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["toy_share"] = module
    spec.loader.exec_module(module)
    yield module.Share
    METHODS.pop("share_if_met")
    sys.modules.pop("toy_share")


def case(share) -> dict:
    return {"contracts": {2003: {"A": {"contributions_collected": {"target": 1000, "weight": 100,
                                                                 "method": "share_if_met", "share": share}}}},
            "actuals": {2003: {"A": {"contributions_collected": [1200]}}}}


def test_a_method_in_a_module_of_its_own_is_checked_scored_and_explained(toy_method, tmp_path):
    config, store = build(case(0.8), tmp_path)
    target = config.contracts[(2003, "A")].targets[0]
    assert isinstance(target.method, toy_method) and target.method.share == 0.8
    assert METHOD_NAMES["share_if_met"] == "完成得部分分"
    indicator = score_year(config, store, 2003, 12).city("A").indicators[0]
    assert indicator.points == pytest.approx(80)
    assert method_text(target.method, 100, False) == "完成目标得80分"
    assert "按部分分得80.00分（满分100分）" in calculation_text(indicator, 12)


def problems_of(tmp_path, terms: dict) -> list[str]:
    """The problems of the config of case(0.8) with the target's terms replaced."""
    with pytest.raises(AssertionError):  # build refuses a config with problems
        build({**case(0.8), "contracts": {2003: {"A": {"contributions_collected": terms}}}}, tmp_path)
    return [str(p) for p in load_config(tmp_path / "config")[1]]


def line_of(tmp_path, needle: str) -> int:
    text = (tmp_path / "config" / "contracts" / "2003" / "A.yaml").read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def test_its_parameter_checks_are_reported_at_the_line(toy_method, tmp_path):
    terms = {"target": 1000, "weight": 100, "method": "share_if_met"}
    assert problems_of(tmp_path, {**terms, "share": 1.5}) == [
        f"{tmp_path}/config/contracts/2003/A.yaml:{line_of(tmp_path, 'share:')}: "
        "指标“contributions_collected”（征缴收入）的“share”不能大于1，现在是1.5"]
    problems = problems_of(tmp_path, {**terms, "per": 1})
    assert any(f"A.yaml:{line_of(tmp_path, 'per:')}: " in p and "share_if_met（完成得部分分），不使用“per”" in p
               for p in problems), problems
    assert any(f"A.yaml:{line_of(tmp_path, 'target:')}: " in p and "缺少“share”" in p
               for p in problems), problems


def test_without_the_module_the_method_is_unknown(tmp_path):
    problems = problems_of(tmp_path, {"target": 1000, "weight": 100, "method": "share_if_met", "share": 0.8})
    assert any("计分方法“share_if_met”无法识别" in p for p in problems), problems
