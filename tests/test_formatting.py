"""Chinese number formatting."""

from scorecard import formatting as fmt


def test_months_of_capacity():
    assert fmt.months(10.554) == "10.55个月"
    assert fmt.months(1234.5) == "1,234.50个月"
    assert fmt.months(None) == "数据缺失"
