"""Checking a staged file in DuckDB: every cell parsed and looked up at once (no Python loop per row), and the
problems of its cells said in Chinese at their sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import years
from ..config import Config
from ..config.model import RECORDS
from ..config.yamlsource import Problem
from .layouts import Layout, blank_sql
from .normalize import FILLED, FULL_WIDTH, HALF_WIDTH, Names, parse_month, parse_year

MAX_PROBLEMS = 1000
LINE_BITS = 32  # a staged row's position: sheet index << 32 | row number
_THOUSANDS = r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?"
_SLOW_TEXT = "regexp_replace(translate(value, $full_width, $half_width), '\\s', '', 'g')"
# The number in a cell: DuckDB's cast first; else full-width characters, spaces and thousands separators.
_NUMBER = f"""CASE WHEN TRY_CAST(value AS DOUBLE) IS NOT NULL THEN TRY_CAST(value AS DOUBLE)
                   ELSE TRY_CAST(CASE WHEN regexp_full_match({_SLOW_TEXT}, $thousands)
                                      THEN replace({_SLOW_TEXT}, ',', '') ELSE {_SLOW_TEXT} END AS DOUBLE) END"""


@dataclass(frozen=True)
class Part:
    """One checked sheet of a file: its name when a workbook has several, and its layout."""

    name: str | None
    layout: Layout
    spreadsheet: bool  # name columns by letter too (E列), as Excel shows them


def _resolvers(config: Config, names: Names) -> dict:
    """How a spelling of each field is read: years and months as numbers, cities and measures as their index in
    the config (the 市州 and the 县（市、区） below them)."""
    city_ids = {c.code: i for i, c in enumerate(config.units)}
    measure_ids = {code: i for i, code in enumerate(config.measures)}
    return {"year": parse_year, "month": parse_month, "city": lambda text: city_ids.get(names.city(text)),
            "measure": lambda text: measure_ids.get(names.measure(text))}


def _usual_spellings(config: Config, names: Names, resolve: dict) -> dict[str, dict[str, int]]:
    """The spellings files mostly hold — the config's own names and codes, years and months in digits —
    resolved beforehand by the same functions as any other spelling, so that one pass over the file reads them."""
    texts = {"year": [f"{y}{s}" for y in range(years.FIRST, years.last() + 1) for s in ("", "年")],
             "month": [f"{m:{w}}{s}" for m in range(1, 13) for w in ("", "02") for s in ("", "月")],
             "city": list(names.cities), "measure": list(names.measures) + [code.upper() for code in config.measures]}
    return {kind: {text: value for text in spellings if (value := resolve[kind](text)) is not None}
            for kind, spellings in texts.items()}


def _lookups(con, found: dict[str, dict[str, int]]) -> None:
    for kind, values in found.items():
        con.register(f"lookup_{kind}_frame", pd.DataFrame({"raw": pd.Series(list(values), dtype=object),
                                                           "id": pd.Series(list(values.values()), dtype="int64")}))
        con.execute(f"CREATE OR REPLACE TEMP TABLE lookup_{kind} AS "
                    f"SELECT raw::VARCHAR AS raw, id FROM lookup_{kind}_frame")
        con.unregister(f"lookup_{kind}_frame")


def _unusual_spellings(con, resolve: dict, found: dict[str, dict[str, int]]) -> bool:
    """Resolve, once each, the spellings of the staged rows that the lookups did not know; whether any was read."""
    rows = con.execute("""
        SELECT GROUPING(bad_year), GROUPING(bad_month), GROUPING(bad_city), bad_year, bad_month, bad_city, bad_measure
        FROM staged WHERE NOT ok GROUP BY GROUPING SETS ((bad_year), (bad_month), (bad_city), (bad_measure))""").fetchall()
    more = False
    for gy, gm, gc, year, month, city, measure in rows:
        kind, text = (("year", year) if not gy else ("month", month) if not gm else ("city", city) if not gc
                      else ("measure", measure))
        value = resolve[kind](text) if text else None
        if value is not None:
            found[kind][text] = value
            more = True
    return more


def stage(con, config: Config, names: Names, src: str, params: dict, reading=lambda: None) -> bool:
    """clean: one value per key of the file's good rows; staged (a temporary table), when a row is not good or two
    rows of a key disagree: every row with its ids, number and problems. Whether there is a staged table, i.e.
    whether the file may have problems. `reading()` is called as DuckDB starts reading the file.

    Cities and measures are stored as small ids (their index in the config; `units` and `items` map them back to
    codes), which keeps ten million rows small and their grouping fast. A good file is read once, straight into
    `clean`, with the usual spellings looked up. Only when some row is not good is it read again into `staged`;
    and should it hold other spellings that can be read (２００３, 长春 市), once more with those added."""
    resolve = _resolvers(config, names)
    found = _usual_spellings(config, names, resolve)
    _lookups(con, found)
    con.register("units_frame", pd.DataFrame({"city_id": range(len(config.units)),
                                              "city": [c.code for c in config.units]}))
    con.register("items_frame", pd.DataFrame({"measure_id": range(len(config.measures)),
                                              "measure": list(config.measures),
                                              "minimum": [m.min for m in config.measures.values()],
                                              "maximum": [m.max for m in config.measures.values()],
                                              "derived": [not m.reported for m in config.measures.values()]}))
    con.execute("CREATE TABLE units AS SELECT city_id::INTEGER AS city_id, city::VARCHAR AS city FROM units_frame")
    con.execute("CREATE TABLE items AS SELECT measure_id::SMALLINT AS measure_id, measure::VARCHAR AS measure, "
                "minimum::DOUBLE AS minimum, maximum::DOUBLE AS maximum, derived::BOOLEAN AS derived FROM items_frame")
    checked = _CHECKED.format(src=src, number=_NUMBER, empty=blank_sql("p.value"), line_bits=LINE_BITS)
    params = params | {"filled": FILLED, "full_width": FULL_WIDTH, "half_width": HALF_WIDTH, "thousands": _THOUSANDS}
    # The joins as written: the file's rows probe the small lookups. DuckDB's join ordering, misjudging the file's
    # size, builds its hash tables on the file's rows instead (2–3× the CPU of the whole statement).
    con.execute("SET disabled_optimizers = 'join_order'")
    try:
        reading()
        # No arg_min here (a twelfth of the statement at a million keys): in a file whose rows are all good and
        # agree, the least of a key's values is each of them, its first too (none is −0: `number + 0.0`)
        con.execute(f"CREATE TABLE clean AS {_CLEAN.format(rows=f'({checked})', value='min(value)')}", params)
        if not con.execute("SELECT count(*) FROM clean WHERE NOT ok OR conflict").fetchone()[0]:
            return False
        con.execute(f"CREATE TEMP TABLE staged AS {checked}", params)  # read here only: kept out of the file
        if _unusual_spellings(con, resolve, found):
            _lookups(con, found)
            con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS {checked}", params)
        con.execute(f"CREATE OR REPLACE TABLE clean AS {_CLEAN.format(rows='staged', value='arg_min(value, pos)')}")
        con.execute("DELETE FROM clean WHERE NOT ok")
        return True
    finally:
        con.execute("RESET disabled_optimizers")


# Every row of the file (relation `src`, see layouts) with its ids, its number and what is wrong with it.
_CHECKED = """
    WITH s AS ({src}),
    parsed AS (SELECT s.*, {number} AS number FROM s),
    checked AS (
        SELECT p.*, y.id AS year_id, m.id AS month_id, c.id AS city_id, me.id AS measure_id,
               CASE WHEN it.derived THEN 'derived'
                    WHEN isnan(p.number) THEN 'number'
                    WHEN p.number < it.minimum THEN 'minimum'
                    WHEN p.number > it.maximum THEN 'above'   -- 1e308, inf: beyond the measure's magnitude
                    WHEN p.number < -it.maximum THEN 'below'
                    WHEN isfinite(p.number) THEN NULL
                    WHEN {empty} THEN 'empty'
                    ELSE 'number' END AS value_problem
        FROM parsed p
        LEFT JOIN lookup_year y ON y.raw = p.year
        LEFT JOIN lookup_month m ON m.raw = p.month
        LEFT JOIN lookup_city c ON c.raw = p.city
        LEFT JOIN lookup_measure me ON me.raw = p.measure
        LEFT JOIN items it ON it.measure_id = me.id
    )
    SELECT (part::BIGINT << {line_bits}) + line AS pos, col::SMALLINT AS col, year_id::SMALLINT AS year,
           month_id::TINYINT AS month, city_id::INTEGER AS city_id, measure_id::SMALLINT AS measure_id,
           CASE WHEN value_problem IS NULL THEN number + 0.0 END AS value,
           CASE WHEN year_id IS NULL THEN coalesce(checked.year, '') END AS bad_year,
           CASE WHEN month_id IS NULL THEN coalesce(checked.month, '') END AS bad_month,
           CASE WHEN city_id IS NULL THEN coalesce(checked.city, '') END AS bad_city,
           CASE WHEN measure_id IS NULL THEN coalesce(checked.measure, '') END AS bad_measure,
           value_problem, CASE WHEN value_problem IS NOT NULL THEN checked.value END AS bad_value, extra,
           year_id IS NOT NULL AND month_id IS NOT NULL AND city_id IS NOT NULL AND measure_id IS NOT NULL
               AND value_problem IS NULL AND extra IS NULL AS ok
    FROM checked"""
# One row per key and goodness: the good rows' first value (in file order), whether they disagree.
_CLEAN = """
    SELECT year, month, city_id, measure_id, ok, {value} AS value, min(pos) AS pos,
           min(value) <> max(value) AS conflict
    FROM {rows} GROUP BY year, month, city_id, measure_id, ok"""


def problems(con, config: Config, names: Names, display: str, parts: list[Part]) -> tuple[list[Problem], int]:
    """The first MAX_PROBLEMS problems in file order, each at its row and column, and how many there are."""
    cells = con.execute("""
        WITH p AS (
            SELECT DISTINCT pos, col, k, kind, raw, measure_id FROM (
                SELECT pos, NULL::SMALLINT AS col, 1 AS k, 'year' AS kind, bad_year AS raw, NULL AS measure_id
                FROM staged WHERE bad_year IS NOT NULL
                UNION ALL SELECT pos, NULL, 2, 'month', bad_month, NULL FROM staged WHERE bad_month IS NOT NULL
                UNION ALL SELECT pos, NULL, 3, 'city', bad_city, NULL FROM staged WHERE bad_city IS NOT NULL
                UNION ALL SELECT pos, NULL, 4, 'measure', bad_measure, NULL FROM staged WHERE bad_measure IS NOT NULL
                UNION ALL SELECT pos, col, 5, value_problem, bad_value, measure_id FROM staged
                          WHERE value_problem IS NOT NULL
                UNION ALL SELECT pos, NULL, 6, 'extra', extra, NULL FROM staged WHERE extra IS NOT NULL))
        SELECT pos, col, kind, raw, measure_id, NULL, NULL, count(*) OVER () FROM p ORDER BY pos, k LIMIT $limit""",
                        {"limit": MAX_PROBLEMS}).fetchall()
    conflicts = con.execute("""
        SELECT s.pos, s.col, 'conflict', NULL, s.measure_id, c.pos, [c.value, s.value], count(*) OVER ()
        FROM staged s JOIN (SELECT * FROM clean WHERE conflict) c USING (year, month, city_id, measure_id)
        WHERE s.ok AND s.value <> c.value ORDER BY s.pos LIMIT $limit""", {"limit": MAX_PROBLEMS}).fetchall()
    total = (cells[0][-1] if cells else 0) + (conflicts[0][-1] if conflicts else 0)
    chosen = sorted(cells + conflicts, key=lambda r: r[0])[:MAX_PROBLEMS]
    problems = [_problem(config, names, display, parts, *row[:-1]) for row in chosen]
    if total > len(problems):
        problems.append(Problem(display, None, f"问题超过{MAX_PROBLEMS}处，以上只列出前{MAX_PROBLEMS}处，共{total}处"))
    return problems, total


def located(display: str, parts: list[Part], pos: int) -> tuple[str, int, Part]:
    part = parts[pos >> LINE_BITS]
    return (f"{display}（{part.name}）" if part.name else display), pos & ((1 << LINE_BITS) - 1), part


def _derived_from(config: Config, measure: str) -> str:
    if config.measures[measure].source == RECORDS:
        return "只由个人记录得出（scorecard records import 导入个人记录）"
    return "由报送记录得出（在线填报的报送日期）"


def _problem(config: Config, names: Names, display: str, parts: list[Part], pos, col, kind, raw, measure_id,
             first_pos, values) -> Problem:
    file, line, part = located(display, parts, pos)
    measure = list(config.measures)[measure_id] if measure_id is not None else None
    column = col if col is not None else part.layout.field_col(kind)
    label = part.layout.label(column, part.spreadsheet)
    what = config.measures[measure].name if measure in config.measures else "数值"
    messages = {
        "year": lambda: "年度为空" if not raw else years.refused(raw),
        "month": lambda: "月份为空" if not raw else f"月份“{raw}”无效，应为1至12的整数",
        "city": lambda: "市州为空" if not raw else (f"未知的市州“{raw}”{names.city_hint(raw)}"
                                                  "（可写代码、全称或简称，见市州名单文件 cities.yaml）"),
        "measure": lambda: "统计项为空" if not raw else (f"未知的统计项“{raw}”{names.measure_hint(raw)}"
                                                      "（可写统计项代码或中文名称，见指标目录文件 indicators.yaml）"),
        "empty": lambda: "数值为空（没有数据的月份请不要写这一行）",
        "number": lambda: f"{what}“{raw}”不是数字",
        "minimum": lambda: f"{what}不能小于{config.measures[measure].min:g}，现在是{raw.strip()}",
        "above": lambda: f"{what}“{raw.strip()}”超出合理范围：不能大于{_magnitude(config, measure)}",
        "below": lambda: f"{what}“{raw.strip()}”超出合理范围：不能小于-{_magnitude(config, measure)}",
        "derived": lambda: f"{what}{_derived_from(config, measure)}，不能导入",
        "extra": lambda: (f"这一行多出了“{raw}”：CSV中带千位分隔逗号的数会被拆成两列，"
                          "请写成 1234 或加引号写成 \"1,234\""),
        "conflict": lambda: _conflict(display, parts, first_pos, file, values),
    }
    text = messages[kind]()
    return Problem(file, line, f"{label}：{text}" if label else text)


def _magnitude(config: Config, measure: str) -> str:
    return f"{config.measures[measure].max:,.15g}（indicators.yaml 中该统计项的 max）"


def _conflict(display: str, parts: list[Part], first_pos: int, file: str, values) -> str:
    first_file, first_line, _ = located(display, parts, first_pos)
    where = f"第{first_line}行" if first_file == file else f"{first_file}第{first_line}行"
    return (f"与{where}是同一市州、同一月份、同一统计项，但数值不同（{values[0]:g} 与 {values[1]:g}），"
            "请保留正确的一行")
