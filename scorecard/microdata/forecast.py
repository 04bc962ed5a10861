"""What the forecast of the notice's point 6 (assessment/forecast.py) reads from the person records, per city,
after the end of month M of year Y:
- the 出中心 schedule: the persons whose agreement ends in each of the months ahead;
- today's recipients running off: of the claims in payment at M's end, those still in payment at each month end
  ahead (by their entitled months and stop dates, derive.in_payment), and their monthly benefit summed;
- the claims approved in Y up to M's end: how many, their mean monthly benefit, and the mean months they draw
  (their entitled months, fewer when stopped earlier: the month ends they count as recipients at);
- take-up: of the 出中心 persons whose agreement ended in Y at least N days before M's end (transition_enrol_days,
  so that each had the whole N days), those brought into insurance within them (derive.transition_persons)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..config.model import month_end


@dataclass(frozen=True)
class CityRecords:
    city: str
    leavers_ahead: tuple[int, ...]           # 出中心 persons due in months 1..N ahead
    running_off: tuple[int, ...]             # today's recipients in payment at month ends 0..N ahead (0: M's end)
    running_off_benefit: tuple[float, ...]   # their monthly benefit summed (元)
    claims: int
    mean_benefit: float | None               # 元 a month
    mean_duration: float | None              # months
    leavers: int                             # 出中心 persons whose whole N days fell in Y up to M's end
    enrolled: int                            # of them, brought into insurance within the N days

    @classmethod
    def empty(cls, city: str, months: int) -> "CityRecords":
        return cls(city, (0,) * months, (0,) * (months + 1), (0.0,) * (months + 1), 0, None, None, 0, 0)


def ahead_end(year: int, month: int, k: int) -> dt.date:
    """The last day of the k-th month after (year, month)."""
    t = year * 12 + month - 1 + k
    return month_end(t // 12, t % 12 + 1)


def take_up_cutoff(year: int, month: int, within_days: int) -> dt.date:
    return month_end(year, month) - dt.timedelta(days=within_days)


def city_records(con, year: int, month: int, months: int, within_days: int,
                 as_of: int | None = None) -> dict[str, CityRecords]:
    """Every city with any record, by code; a city without records is CityRecords.empty."""
    import ibis   # loaded when something is forecast, not by every reader of the assessment
    from ibis import _

    from .derive import in_force, in_payment, transition_persons

    now = month_end(year, month)
    origin = year * 12 + month - 1
    claims = in_force(con, "claims", as_of)

    ends = ibis.memtable({"ahead": list(range(months + 1)),
                          "month_end": [ahead_end(year, month, k) for k in range(months + 1)]})
    rows = claims.filter(claims.approval_date <= now).cross_join(ends)
    running = rows.filter(in_payment(rows)).group_by("city", "ahead").aggregate(
        recipients=_.claim_id.nunique(), benefit=_.monthly_benefit.sum().cast("float64")).to_pandas()

    schedule = in_force(con, "transitions", as_of)
    ahead = schedule.agreement_end.year() * 12 + schedule.agreement_end.month() - 1 - origin
    due = schedule.mutate(ahead=ahead).filter(_.ahead.between(1, months)).group_by("city", "ahead").aggregate(
        leavers=_.person_id.nunique()).to_pandas()

    recent = claims.filter(claims.approval_date.between(dt.date(year, 1, 1), now))
    stop_months = (recent.stop_date.year() * 12 + recent.stop_date.month()
                   - recent.approval_date.year() * 12 - recent.approval_date.month())
    drawn = recent.stop_date.isnull().ifelse(recent.entitled_months,
                                             ibis.least(recent.entitled_months, ibis.greatest(stop_months, 0)))
    stats = recent.group_by("city").aggregate(
        # the exact sum over the count: Spark's mean of a DECIMAL(12,2) is rounded to 6 places, DuckDB's is not
        claims=_.claim_id.count(), mean_benefit=_.monthly_benefit.sum().cast("float64") / _.claim_id.count(),
        mean_duration=drawn.cast("float64").mean()).to_pandas()

    persons = transition_persons(con, year, within_days, as_of)
    whole = persons.filter(persons.agreement_end <= take_up_cutoff(year, month, within_days))
    taken = whole.group_by("city").aggregate(leavers=_.person_id.nunique(),
                                             enrolled=_.enrolled.cast("int64").sum()).to_pandas()

    cities = set(running["city"]) | set(due["city"]) | set(stats["city"]) | set(taken["city"])
    found = {}
    for city in sorted(cities):
        run = running[running["city"] == city].set_index("ahead")
        leaving = due[due["city"] == city].set_index("ahead")["leavers"]
        stat = stats[stats["city"] == city]
        take = taken[taken["city"] == city]
        found[city] = CityRecords(
            city, tuple(int(leaving.get(k, 0)) for k in range(1, months + 1)),
            tuple(int(run["recipients"].get(k, 0)) for k in range(months + 1)),
            tuple(float(run["benefit"].get(k, 0.0)) for k in range(months + 1)),
            int(stat["claims"].iloc[0]) if len(stat) else 0,
            float(stat["mean_benefit"].iloc[0]) if len(stat) else None,
            float(stat["mean_duration"].iloc[0]) if len(stat) else None,
            int(take["leavers"].iloc[0]) if len(take) else 0, int(take["enrolled"].iloc[0]) if len(take) else 0)
    return found
