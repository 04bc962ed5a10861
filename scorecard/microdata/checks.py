"""The 2003 notice's rules about people, checked on the person records (issue 17 §3). Each rule is written once
as Ibis expressions over a connection of engines.py, as derive.py is, so that DuckDB runs it here and Spark the
same expressions for the country:

- ineligible (point 5): benefit paid on a claim whose separation reason gives none (records.yaml
  ineligible_reasons: 本人申请、平等协商、自愿解除, a lump sum on closure or bankruptcy);
- hidden_employment (point 8): wage records at or above the local minimum wage in force in the month (records.yaml
  minimum_wages, the step in force on the month's first day) for 3 or more consecutive months in which the person
  was paid benefit; a business licence or taxi permit dated before a paid period;
- late_enrolment (point 7): 出中心 persons not brought into insurance within N days of the agreement's end.

A paid period is a payment of the year with a paid date and an amount above 0. The expressions return one row per
piece of evidence; `findings` groups them into one finding per person and case, each with a key that stays the
same from one run to the next (the rule, the start of the person's keyed hash, what the case is about), under
which a caseworker's outcome (核查) is kept in the records store.
"""

from __future__ import annotations

import datetime as dt

import ibis
import pyarrow as pa
from ibis import _

from .derive import in_force, transition_persons
from .settings import RecordSettings

INELIGIBLE, HIDDEN_EMPLOYMENT, LATE_ENROLMENT = "ineligible", "hidden_employment", "late_enrolment"
RULES = {INELIGIBLE: "不符合领取条件仍发放", HIDDEN_EMPLOYMENT: "领取期间已就业（隐性就业）",
         LATE_ENROLMENT: "出中心人员未及时纳入失业保险"}
WAGE_RUN, REGISTERED = "wages", "registration"   # the two kinds of hidden-employment evidence
CONSECUTIVE_MONTHS = 3
KIND_NAMES = {"licence": "营业执照", "taxi": "出租车经营许可"}


def paid_periods(con, year: int, as_of: int | None = None):
    """Every period of `year` paid on a claim, with the claim's person, city and separation reason."""
    payments = in_force(con, "payments", as_of, keys_where=lambda t: t.period.year() == year)
    paid = payments.filter(payments.paid_date.notnull() & (payments.amount_paid > 0))
    claims = in_force(con, "claims", as_of).select("claim_id", "person_id", "person_name", "city",
                                                   "separation_reason")
    # money as float64: a decimal column reaches pandas as one Python Decimal per row
    return paid.join(claims, "claim_id").select("claim_id", "person_id", "person_name", "city",
                                                "separation_reason", "period",
                                                amount_paid=paid.amount_paid.cast("float64"))


def ineligible_paid(con, year: int, reasons, as_of: int | None = None):
    """Point 5: the periods paid on claims whose separation reason gives no benefit."""
    paid = paid_periods(con, year, as_of)
    return paid.filter(paid.separation_reason.isin(list(reasons)))


def ineligible_by_city(con, year: int, reasons, as_of: int | None = None):
    """Point 5 per city and reason code: claims paid, and the amount paid on them."""
    rows = ineligible_paid(con, year, reasons, as_of)
    return rows.group_by("city", "separation_reason").aggregate(
        claims=rows.claim_id.nunique(), amount_paid=rows.amount_paid.sum()).order_by("city", "separation_reason")


def minimum_wage_table(settings: RecordSettings):
    """The minimum wages as a table: per city each step with the day it starts and the day the next one does."""
    rows = {"mw_city": [], "since": [], "until": [], "minimum": []}
    for city, steps in settings.minimum_wages.items():
        for step, after in zip(steps, [*steps[1:], None]):
            rows["mw_city"].append(city)
            rows["since"].append(step.since)
            rows["until"].append(after.since if after else dt.date(9999, 12, 31))
            rows["minimum"].append(float(step.amount))
    # a pyarrow table: from no rows at all (no records.yaml) pandas would guess the dates' type as float
    return ibis.memtable(pa.table(rows, schema=pa.schema([("mw_city", pa.string()), ("since", pa.date32()),
                                                          ("until", pa.date32()), ("minimum", pa.float64())])))


def _drawn(con, year: int, as_of: int | None):
    """The persons, cities and months paid benefit in `year`."""
    return paid_periods(con, year, as_of).select("person_id", "city", month=_.period).distinct()


def _wages_in(con, months, as_of: int | None):
    """The wage records of the persons and months of `months` (its other columns joined to them): a few % of a
    province's, taken before the window of in_force."""
    wages = in_force(con, "wages", as_of, among=months.select("person_id", "month"))
    return wages.select("person_id", "employer", "month", "wage_base").join(months, ["person_id", "month"])


def _with_minimum(rows, settings: RecordSettings):
    minimum = minimum_wage_table(settings)
    return rows.left_join(minimum, [rows.city == minimum.mw_city, rows.month >= minimum.since,
                                    rows.month < minimum.until])


def wages_while_paid(con, year: int, settings: RecordSettings, as_of: int | None = None):
    """Every wage record of a month in which the person was paid benefit, with the minimum wage in force in
    that month in the city of the claim (null when records.yaml has none)."""
    joined = _with_minimum(_wages_in(con, _drawn(con, year, as_of), as_of), settings)
    return joined.select("person_id", "city", "month", "employer", wage=joined.wage_base.cast("float64"),
                         minimum=joined.minimum)


def missing_minimum_wages(con, year: int, settings: RecordSettings, as_of: int | None = None):
    """The cities and months that need a minimum wage records.yaml does not give: those of wage records of paid
    months (wages_while_paid's without a minimum), found from the paid months without one (none, mostly: then
    no wage record is read)."""
    drawn = _with_minimum(_drawn(con, year, as_of), settings)
    uncovered = drawn.filter(drawn.minimum.isnull()).select("person_id", "city", "month")
    rows = _wages_in(con, uncovered, as_of)
    return rows.select("city", "month").distinct().order_by("city", "month")


def hidden_wage_runs(con, year: int, settings: RecordSettings, as_of: int | None = None):
    """Point 8, wages: the wage records of every run of 3 or more consecutive paid months at or above the minimum
    wage, each with the run's first month (`run_start`) and its length."""
    rows = wages_while_paid(con, year, settings, as_of)
    at_minimum = rows.filter(rows.wage >= rows.minimum)
    months = at_minimum.select("person_id", "month").distinct()
    order = ibis.row_number().over(group_by=months.person_id, order_by=months.month)
    months = months.mutate(island=months.month.year() * 12 + months.month.month() - order)
    runs = months.group_by("person_id", "island").aggregate(run_start=months.month.min(),
                                                            run_end=months.month.max(),
                                                            run_months=months.month.count())
    runs = runs.filter(runs.run_months >= CONSECUTIVE_MONTHS).drop("island")
    found = at_minimum.join(runs, [at_minimum.person_id == runs.person_id, at_minimum.month >= runs.run_start,
                                   at_minimum.month <= runs.run_end])
    return found.select("person_id", "city", "run_start", "run_months", "month", "employer", "wage",
                        "minimum").order_by("person_id", "month", "employer")


def hidden_wage_payments(con, year: int, settings: RecordSettings, as_of: int | None = None, runs=None):
    """The benefit paid in the months of each run of hidden_wage_runs: one row per run and paid period.
    `runs`: hidden_wage_runs's rows as fetched already (its wage records are not read again)."""
    if runs is None:
        runs = hidden_wage_runs(con, year, settings, as_of)
    else:
        runs = ibis.memtable(runs[["person_id", "run_start", "month"]],
                             schema={"person_id": "string", "run_start": "date", "month": "date"})
    months = runs.select("person_id", "run_start", period=runs.month).distinct()
    paid = paid_periods(con, year, as_of)
    return paid.join(months, ["person_id", "period"]).select(
        "person_id", "person_name", "run_start", "claim_id", "period", "amount_paid").order_by(
        "person_id", "run_start", "period", "claim_id")


def registered_before_paid(con, year: int, as_of: int | None = None):
    """Point 8, registrations: each period paid after the person's business licence or taxi permit was dated
    (strictly before the period's first day)."""
    paid = paid_periods(con, year, as_of)
    registrations = in_force(con, "registrations", as_of).select("person_id", "kind", "registered_on")
    rows = paid.join(registrations, "person_id")
    return rows.filter(rows.registered_on < rows.period).select(
        "person_id", "person_name", "city", "kind", "registered_on", "claim_id", "period",
        "amount_paid").order_by("person_id", "kind", "registered_on", "period")


def late_enrolled(con, year: int, within_days: int, as_of: int | None = None):
    """Point 7: the 出中心 persons of `year` not brought into insurance within `within_days`, with the days taken
    (from the agreement's end to the first claim's approval; null: no claim at all)."""
    rows = transition_persons(con, year, within_days, as_of)
    late = rows.filter(~rows.enrolled)
    return late.select("person_id", "person_name", "city", "agreement_end", "first_approval",
                       days_taken=late.first_approval.delta(late.agreement_end, unit="day")).order_by(
        "city", "agreement_end", "person_id")
