"""Chinese number formatting."""

import math
import random

from scorecard import formatting as fmt


def test_months_of_capacity():
    assert fmt.months(10.554) == "10.55个月"
    assert fmt.months(1234.5) == "1,234.50个月"
    assert fmt.months(None) == "数据缺失"


def test_head_counts_keep_their_unit_at_any_size():
    """A province's total stands beside its cities' figures on a page: both in persons, never 10.75万人 beside
    32,000人."""
    assert fmt.quantity(107_520, "人") == "107,520人"
    assert fmt.quantity(32_000, "人") == "32,000人"
    assert fmt.quantity(1_234_567, "人次") == "1,234,567人次"
    assert fmt.quantity(215_000.4, "户") == "215,000户"


def _half_up(value: float) -> float:
    """Rounding half up of the value's shortest digits, written out: what round2 must give for every value."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_round2_rounds_half_up_what_officials_read_and_keeps_what_has_two_decimals():
    """2.675 is stored a little below 2.675 (Python's round gives 2.67); officials round the digits they read:
    2.68. A value already of two decimals (20, 17.5, 0.3) comes back as itself, as a float."""
    assert [fmt.round2(v) for v in (2.675, 1.005, 0.125, -2.675, 0.1 + 0.2, 1e-3, 0.004999)] == \
        [2.68, 1.01, 0.13, -2.68, 0.3, 0.0, 0.0]
    assert fmt.round2(20) == 20.0 and type(fmt.round2(20)) is float and fmt.round2(17.5) == 17.5
    assert math.copysign(1, fmt.round2(-0.0)) == -1 and math.copysign(1, fmt.round2(-0.001)) == -1
    assert fmt.round2(None) is None and fmt.round2(math.inf) == math.inf and math.isnan(fmt.round2(math.nan))
    rnd = random.Random(16)
    values = [rnd.uniform(-100, 100) for _ in range(3000)] + [rnd.randrange(-10000, 10000) / 100 for _ in range(3000)]
    values += [rnd.randrange(0, 100000) / 1000 for _ in range(3000)] + [k / 8 for k in range(-400, 400)]
    values += [rnd.uniform(-1e9, 1e9) for _ in range(2000)]                 # large
    values += [rnd.uniform(-1, 1) * 10 ** -rnd.randrange(3, 12) for _ in range(2000)]   # small, some 1e-05
    values += [rnd.randrange(-10 ** 9, 10 ** 9) / 1000 + 0.0005 for _ in range(2000)]   # digits ending in 5 further
    values += [2.0 ** 60 + 0.5, 1e20, 123456789012.345, 5e12 + 0.125, 9.99e11 + 0.115]   # about and beyond 10^12
    for value in values:
        rounded = fmt.round2(value)
        assert rounded == _half_up(value) and math.copysign(1, rounded) == math.copysign(1, _half_up(value)), value


def _against_written_out(value, threshold, short, digits=1):
    if short and value is not None and threshold is not None and math.isfinite(value):
        while digits < fmt.MOST_DIGITS and fmt.percent(value, digits) == fmt.percent(threshold, digits):
            digits += 1
    return fmt.percent(value, digits), fmt.percent(threshold, digits)


def test_a_percentage_against_its_threshold_shows_the_decimals_a_shortfall_needs():
    assert fmt.against(0.49994, 0.5, True) == ("49.99%", "50.00%")
    assert fmt.against(0.49994, 0.5, False) == ("50.0%", "50.0%")
    assert fmt.against(0.5 - 1e-12, 0.5, True) == ("50.00000000%", "50.00000000%")   # at most MOST_DIGITS
    assert fmt.against(None, 0.5, True) == ("数据缺失", "50.0%")
    assert fmt.against(math.inf, 1.0, True) == ("∞", "100.0%")
    assert (fmt.percent(12.3456, 0), fmt.percent(0.123456, 9), fmt.percent(-math.inf)) == \
        ("1,235%", "12.345600000%", "∞")
    cases = [(v / 10000, t / 100, short)
             for v in range(9000, 10001, 7) for t in (90, 95, 100) for short in (True, False)]
    for value, threshold, short in cases + [(0.999999, 1.0, True), (0.95 - 4e-9, 0.95, True)]:
        assert fmt.against(value, threshold, short) == _against_written_out(value, threshold, short)
        digits = fmt.telling_digits(value, threshold, short)
        assert fmt.against(value, threshold, short) == (fmt.percent(value, digits), fmt.percent(threshold, digits))
