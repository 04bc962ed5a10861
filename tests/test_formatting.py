"""Chinese number formatting."""

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
