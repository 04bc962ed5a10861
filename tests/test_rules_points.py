"""The rules' points and the gaps written without min/max calls give what min/max gave: the same value and the same
type (an int weight or cap stays an int where min/max returned it), at ties, at ±0, for NaN and infinity."""

import itertools
import math

from scorecard.assessment import formulas
from scorecard.rules.deduct import Deduct
from scorecard.rules.per_step import PerStep
from scorecard.rules.proportional import Proportional

NUMBERS = (0, 1, 2, 10, 0.0, -0.0, 0.5, 1.0, 1.0 + 1e-12, 2.5, 10.0, 12.5, -3.0, math.inf, -math.inf, math.nan)


def same(a, b) -> bool:
    return type(a) is type(b) and (a == b or (a != a and b != b)) and math.copysign(1, a) == math.copysign(1, b)


def test_proportional_is_the_weight_times_min_of_r_and_1():
    for weight, r in itertools.product(NUMBERS, NUMBERS):
        assert same(Proportional().points(weight, r, 0.0), weight * min(r, 1.0)), (weight, r)


def test_deduct_is_max_of_0_and_the_weight_less_min_of_cap_and_the_deduction():
    for weight, shortfall, cap, per in itertools.product((0, 5, 10, 5.0, 10.0), NUMBERS, (None, 2, 5, 5.0), (1, 2.0)):
        rule = Deduct(per=per, step=1.0, max=cap)
        expected = max(0.0, weight - min(weight if cap is None else cap, per * shortfall / 1.0))
        assert same(rule.points(weight, 0.0, shortfall), expected), (weight, shortfall, cap, per)


def test_per_step_is_min_of_the_ceiling_and_the_steps_earned():
    for excess, r, cap, most in itertools.product(NUMBERS, (0.5, 1.2, math.inf), (2, 2.0, 3), (None, 1, 1.0, 2.5)):
        rule = PerStep(per=1, step=1.0, max=most)
        ceiling = cap if most is None else most
        expected = ceiling if math.isinf(r) else min(ceiling, 1 * excess / 1.0)
        assert same(rule.points(r, excess, cap), expected), (excess, r, cap, most)


def test_gaps_are_max_of_0_and_the_difference():
    for actual, target, r, percent, direction in itertools.product(NUMBERS, (1, 0.5, 2.0), NUMBERS, (True, False),
                                                                  ("higher", "lower")):
        if percent:
            below, above = (target - actual) * 100, (actual - target) * 100
            if direction == "lower":
                below, above = above, below
        else:
            below, above = (1 - r) * 100, (r - 1) * 100
        found = formulas.gaps(actual, target, r, percent, direction)
        assert same(found[0], max(0.0, below)) and same(found[1], max(0.0, above)), (actual, target, r, percent)
