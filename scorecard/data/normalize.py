"""What people type, read the way they meant it.

Full-width digits and punctuation, stray spaces, 2003年 and 3月, a city's
code, full name or short name, a measure's code or Chinese name (with or
without its unit). Every spelling maps to one code, or to None with the
nearest valid name to suggest.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cached_property

from .. import years
from ..config import Config
from ..config import suggestion

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_UNIT_SUFFIX = re.compile(r"[(（][^()（）]*[)）]$")

# Full-width forms (ＡＢＣ１２３，．－) and the ideographic space, mapped as NFKC maps them:
# the same table serves Python here and DuckDB's translate() on millions of rows.
FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
HALF_WIDTH = "".join(unicodedata.normalize("NFKC", ch) for ch in FULL_WIDTH)
BLANKS = " \t\r\n\u3000\u00a0"
FILLED = f"[^{BLANKS}]"  # a pattern DuckDB finds in a cell that holds anything but blanks


def clean_text(value) -> str:
    """NFKC (full-width to half-width) and surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def compact(value) -> str:
    """Clean text without any spaces: 长 春 市 → 长春市."""
    return re.sub(r"\s+", "", clean_text(value))


def parse_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = compact(value)
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_int(value) -> int | None:
    number = parse_number(value)
    return int(number) if number is not None and number.is_integer() else None


def parse_year(value) -> int | None:
    """2003, ２００３, 2003年, 2003.0 → 2003; None when not a year the scorecard can hold."""
    year = parse_int(compact(value).removesuffix("年"))
    return year if year is not None and years.valid(year) else None


def parse_month(value) -> int | None:
    """3, 03, ３, 3月 → 3; None unless 1..12."""
    month = parse_int(compact(value).removesuffix("月"))
    return month if month is not None and 1 <= month <= 12 else None


class Names:
    """The spellings of the config's cities and measures, each mapped to its code."""

    def __init__(self, config: Config):
        self.config = config

    @cached_property
    def cities(self) -> dict[str, str]:
        return {compact(spelling): code for spelling, code in self.config.unit_lookup.items()}

    @cached_property
    def measures(self) -> dict[str, str]:
        spellings = {}
        for m in self.config.measures.values():
            spellings[compact(m.code).lower()] = m.code
            spellings[compact(m.name)] = m.code
        return spellings

    def city(self, text) -> str | None:
        return self.cities.get(compact(text))

    def measure(self, text) -> str | None:
        """A code (any case), a Chinese name, or a name with its unit: 实缴失业保险费（万元）."""
        key = compact(text)
        found = self.measures.get(key) or self.measures.get(key.lower())
        if found is None and _UNIT_SUFFIX.search(key):
            found = self.measures.get(_UNIT_SUFFIX.sub("", key))
        return found

    def city_hint(self, text) -> str:
        return suggestion(compact(text), [c.name for c in self.config.units] + list(self.config.unit_lookup))

    def measure_hint(self, text) -> str:
        """The nearest measure; for an indicator's name or code (征缴收入), the measures it is computed from."""
        key = _UNIT_SUFFIX.sub("", compact(text))
        indicator = next((i for i in self.config.indicators.values() if key in (compact(i.name), i.code.lower())
                          or key == i.code), None)
        if indicator is not None:
            names = "”和“".join(self.config.measures[m].name for m in indicator.measures if m in self.config.measures)
            return f"，“{indicator.name}”是考核指标，不是统计项，是否要填“{names}”？"
        return suggestion(compact(text), list(self.config.measures) + [m.name for m in self.config.measures.values()])
