"""Measures from person records (issue 17 §2), written once as Ibis expressions so that DuckDB runs them here and
Spark (its pyspark backend) can run the same expressions for the country.

Per city and month of a year:
- benefits_payable 应发失业保险金人次: the payments due in the month (one per claim and period);
- benefits_paid_on_time 按时足额发放人次: of them, paid on or before the due date at the full amount;
- lapse_0_7 … lapse_over_21: the payments made, by days from due date to paid date (early counts as 0), the
  buckets of the US first-payment timeliness measure; unpaid: no paid date yet;
- recipients 领取失业保险金人数: claims in payment at the month's end (approved on or before it, entitlement not
  run out, not stopped);
- transition_eligible / transition_enrolled 出中心应纳入 / 已纳入失业保险人数: persons whose 再就业服务中心
  agreement ends in the month, and of them those with a claim approved within N days after (records.yaml).
Every table is read as in force after an import (the latest row of each key not newer than it).
"""

from __future__ import annotations

import calendar
import datetime as dt

import ibis
from ibis import _

from ..config.model import RECORD_MEASURES
from .schemas import STORED, tables

LAPSE_BUCKETS = (("lapse_0_7", 0, 7), ("lapse_8_14", 8, 14), ("lapse_15_21", 15, 21), ("lapse_over_21", 22, None))
MEASURES = {
    "benefits_payable": "应发失业保险金人次",
    "benefits_paid_on_time": "按时足额发放人次",
    "lapse_0_7": "0至7天发放人次",
    "lapse_8_14": "8至14天发放人次",
    "lapse_15_21": "15至21天发放人次",
    "lapse_over_21": "超过21天发放人次",
    "unpaid": "尚未发放人次",
    "benefits_amount_paid": "实发失业保险金金额（元）",
    "recipients": "月末领取失业保险金人数",
    "transition_eligible": "出中心应纳入失业保险人数",
    "transition_enrolled": "出中心已纳入失业保险人数",
}
# the measures the monthly totals report too (config/indicators.yaml), set against them by reconcile.py and
# scored from the records where the catalogue says `source: records`
RECONCILED = RECORD_MEASURES


IBIS_TYPES = {"VARCHAR": "string", "DATE": "date", "DECIMAL(12,2)": "decimal(12, 2)", "INTEGER": "int32"}


class Unbound:
    """The person-record tables by name and schema alone, bound to no engine: the derivations compiled to an
    engine's SQL (ibis.to_sql(expr, dialect=…)) — how a new engine's translation is checked before it runs."""

    def table(self, code: str):
        schema = {c.code: IBIS_TYPES[STORED[c.type]] for c in tables()[code].columns}
        return ibis.table(schema | {"source_line": "int32", "import_id": "int32"}, name=code)


def in_force(con, code: str, as_of: int | None = None, among=None, keys_where=None):
    """Table `code` as it stood after import `as_of` (all imports when None): per key, the latest row.
    Only some keys, the rows of the others dropped before the latest is picked (the same rows for those keys,
    without a window over the whole table): `among`, a table of some of the key's columns, the keys it holds;
    `keys_where`, a condition on the key's columns alone (a function of the table)."""
    table = con.table(code)
    if as_of is not None:
        table = table.filter(table.import_id <= as_of)
    if among is not None:
        table = table.semi_join(among, list(among.columns))
    if keys_where is not None:
        table = table.filter(keys_where(table))
    key = list(tables()[code].key)
    newest = ibis.row_number().over(group_by=key, order_by=ibis.desc(table.import_id))
    return table.mutate(newest=newest).filter(_.newest == 0).drop("newest")


def payments_by_month(con, year: int, as_of: int | None = None):
    payments = in_force(con, "payments", as_of, keys_where=lambda t: t.period.year() == year)
    claims = in_force(con, "claims", as_of).select("claim_id", "city")
    rows = payments.join(claims, "claim_id")
    paid = rows.paid_date.notnull()
    lapse = ibis.greatest(rows.paid_date.delta(rows.due_date, unit="day"), 0)
    on_time = paid & (rows.paid_date <= rows.due_date) & (rows.amount_paid >= rows.amount_due)
    counts = {"benefits_payable": rows.claim_id.count(), "benefits_paid_on_time": on_time.cast("int64").sum(),
              "unpaid": (~paid).cast("int64").sum(),
              "benefits_amount_paid": rows.amount_paid.cast("float64").sum().fill_null(0)}
    for name, low, high in LAPSE_BUCKETS:
        inside = paid & (lapse >= low) if high is None else paid & lapse.between(low, high)
        counts[name] = inside.cast("int64").sum()
    return rows.group_by(city=rows.city, month=rows.period.month()).aggregate(**counts)


def month_ends(year: int):
    return ibis.memtable({"month": list(range(1, 13)),
                          "month_end": [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]})


def in_payment(rows):
    """Whether a claim (a row of claims joined with a `month_end`) is in payment at that month's end: approved on
    or before it, entitlement not run out, not stopped."""
    runs_out = rows.approval_date + rows.entitled_months.as_interval("M")
    return ((rows.approval_date <= rows.month_end) & (rows.month_end < runs_out)
            & (rows.stop_date.isnull() | (rows.stop_date > rows.month_end)))


def recipients_by_month(con, year: int, as_of: int | None = None):
    rows = in_force(con, "claims", as_of).cross_join(month_ends(year))
    return rows.filter(in_payment(rows)).group_by("city", "month").aggregate(recipients=_.claim_id.nunique())


def transition_persons(con, year: int, within_days: int, as_of: int | None = None):
    """The 出中心 persons whose agreement ends in `year`, the approval of their first claim (none: null) and
    whether it came within `within_days` after the agreement's end (`enrolled`)."""
    schedule = in_force(con, "transitions", as_of)
    due = schedule.filter(schedule.agreement_end.year() == year)
    claims = in_force(con, "claims", as_of)
    first_claim = claims.group_by("person_id").aggregate(first_approval=claims.approval_date.min())
    rows = due.left_join(first_claim, "person_id").drop("person_id_right")
    enrolled = rows.first_approval.notnull() & (
        rows.first_approval <= rows.agreement_end + ibis.interval(days=within_days))
    return rows.mutate(enrolled=enrolled)


def transitions_by_month(con, year: int, within_days: int, as_of: int | None = None):
    rows = transition_persons(con, year, within_days, as_of)
    return rows.group_by(city=rows.city, month=rows.agreement_end.month()).aggregate(
        transition_eligible=rows.person_id.nunique(), transition_enrolled=rows.enrolled.cast("int64").sum())


def derived(con, year: int, within_days: int, as_of: int | None = None):
    """Every derived measure, long: (year, month, city, measure, value), one row per city, month and measure with
    anything to count."""
    parts = [payments_by_month(con, year, as_of), recipients_by_month(con, year, as_of),
             transitions_by_month(con, year, within_days, as_of)]
    long = [part.pivot_longer(~ibis.selectors.cols("city", "month"), names_to="measure", values_to="value")
            .mutate(month=_.month.cast("int8"), value=_.value.cast("float64")) for part in parts]
    return ibis.union(*long).mutate(year=ibis.literal(year, "int16")).select(
        "year", "month", "city", "measure", "value").order_by("city", "month", "measure")
