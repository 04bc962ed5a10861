"""Demo person records (演示数据): deterministic for a seed, plausible for Jilin in 2003 (benefit 200–300 元 a
month, minimum wage about 360 元), for every city of the config — claims, their monthly payments (most on time,
some late, some short, a few not yet paid), wage records, business-licence and taxi-permit registrations and
the 出中心 schedule — with, in each city, the cases the later rule checks (issue 17 §3) must find:
- 本人申请 / 平等协商 / 自愿解除 separations that were paid all the same (codes 11–13);
- wages at or above the minimum for exactly 3 months while drawing benefit, for 2 months only, 3 months with a
  gap month, 3 months just below the minimum;
- a business licence or taxi permit dated before a paid period;
- 出中心 persons brought into insurance on time, late, or not at all.
The same generator, with more claims, feeds the scale benchmark (benchmarks/records_synthetic.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .personid import check_character
from .schemas import tables

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎")
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国文斌志海波宁")
STREETS = ("东风", "红旗", "胜利", "建设", "解放", "人民", "和平", "新华", "光明", "前进")
ELIGIBLE_REASONS = ("01", "02", "03")          # 劳动合同期满、单位解除、单位破产关闭
TRANSITION_REASON = "04"                        # 出再就业服务中心解除劳动关系
INELIGIBLE_REASONS = ("11", "12", "13")         # 本人申请、平等协商、自愿解除（§3：不应发放）
CITY_WEIGHT = {"220100": 0.30, "220200": 0.17, "220300": 0.09, "220400": 0.05, "220500": 0.08,
               "220600": 0.06, "220700": 0.08, "220800": 0.06, "222400": 0.11}
DEMO_MINIMUM_WAGE = 360.0
DUE_DAY = 15
# months of entitlement (by years of contribution: 12 under 5 years, 18 under 10, 24 beyond) and their shares
ENTITLED = ((3, 6, 12, 18, 24), (.1, .25, .35, .2, .1))


def person_ids(rng: np.random.Generator, region: str, count: int, start: int) -> list[str]:
    """Distinct valid 18-character ids: the region, a birth date from 1948 to 1983, a sequence, the check."""
    birth = pd.Timestamp("1948-01-01") + pd.to_timedelta(rng.integers(0, 365 * 35, count), unit="D")
    seq = (np.arange(start, start + count) % 999) + 1
    bodies = [f"{region}{b:%Y%m%d}{s:03d}" for b, s in zip(birth, seq)]
    seen, ids = set(), []
    for body, n in zip(bodies, range(start, start + count)):
        while body in seen:   # the same birth date and sequence twice: move the sequence on
            n += 997
            body = body[:14] + f"{n % 999 + 1:03d}"
        seen.add(body)
        ids.append(body + check_character(body))
    return ids


def names(rng: np.random.Generator, count: int) -> list[str]:
    surname = rng.choice(SURNAMES, count)
    first = rng.choice(GIVEN, count)
    second = np.where(rng.random(count) < 0.6, rng.choice(GIVEN, count), "")
    return [a + b + c for a, b, c in zip(surname, first, second)]


def generate(cities, year: int = 2003, claims: int = 30000, seed: int = 2003,
             minimum_wage: float = DEMO_MINIMUM_WAGE, entitled=ENTITLED,
             whole_entitlement: bool = False) -> dict[str, pd.DataFrame]:
    """Every table of person records (codes as column names; 身份证号 in clear, as a city would send them).
    `entitled`: the months of entitlement and their shares; `whole_entitlement`: every month of it paid, into
    the next years too (a province's payment history, scale.py), not only the months of `year`."""
    rng = np.random.default_rng(seed)
    codes = [c.code for c in cities]
    weights = np.array([CITY_WEIGHT.get(c, 0.1) for c in codes])
    per_city = np.maximum(40, np.round(weights / weights.sum() * claims)).astype(int)
    parts = [_city_claims(rng, code, n, year, sum(per_city[:i]), entitled)
             for i, (code, n) in enumerate(zip(codes, per_city))]
    claims_frame = pd.concat([p[0] for p in parts], ignore_index=True)
    transitions = pd.concat([p[1] for p in parts], ignore_index=True)
    payments = _payments(rng, claims_frame, year, whole_entitlement)
    in_year = payments["period"].str.startswith(str(year))
    wages, registrations = _work(rng, claims_frame, payments[in_year], year, minimum_wage)
    return {"claims": claims_frame, "payments": payments, "wages": wages, "registrations": registrations,
            "transitions": transitions}


def _city_claims(rng, city: str, count: int, year: int, start: int, entitled) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = person_ids(rng, city[:4] + "02", count, start)
    begin = dt.date(year - 1, 7, 1)
    separation = pd.Timestamp(begin) + pd.to_timedelta(rng.integers(0, 500, count), unit="D")
    approval = separation + pd.to_timedelta(rng.integers(7, 40, count), unit="D")
    benefit = np.round(rng.normal(250 if city == "220100" else 230, 18, count).clip(200, 300))
    reasons = rng.choice(ELIGIBLE_REASONS, count, p=[0.5, 0.3, 0.2])
    reasons[rng.random(count) < 0.01] = rng.choice(INELIGIBLE_REASONS)       # §3: paid though not eligible
    stopped = rng.random(count) < 0.08
    stop = (approval + pd.to_timedelta(rng.integers(35, 200, count), unit="D")).where(stopped)
    frame = pd.DataFrame({
        "claim_id": [f"{city}{year % 100:02d}{start + i:07d}" for i in range(count)],
        "person_id": ids, "person_name": names(rng, count), "city": city, "county": None,
        "community": [f"{STREETS[i % len(STREETS)]}街道{i % 7 + 1}社区" for i in rng.integers(0, 70, count)],
        "separation_date": separation.date, "separation_reason": reasons, "approval_date": approval.date,
        "monthly_benefit": benefit, "entitled_months": rng.choice(entitled[0], count, p=entitled[1]),
        "stop_date": [d.date() if not pd.isna(d) else None for d in stop],
    })
    # the 出中心 schedule: about one claim in twelve is a person leaving a 再就业服务中心 in the year
    leaving = rng.random(count) < 1 / 12
    schedule = frame.loc[leaving, ["person_id", "person_name", "city"]].copy()
    end = pd.Timestamp(dt.date(year, 1, 1)) + pd.to_timedelta(rng.integers(0, 330, len(schedule)), unit="D")
    schedule["agreement_end"] = end.date
    delay = rng.choice([5, 15, 25, 30, 31, 45, 90, -1], len(schedule), p=[.3, .3, .15, .05, .05, .07, .04, .04])
    # the claim of a person leaving: its separation is the agreement's end, approved `delay` days after (-1: none)
    rows = frame.index[leaving]
    frame.loc[rows, "separation_date"] = end.date
    frame.loc[rows, "separation_reason"] = TRANSITION_REASON
    frame.loc[rows, "approval_date"] = (end + pd.to_timedelta(np.maximum(delay, 0), unit="D")).date
    frame.loc[rows, "stop_date"] = None
    frame = frame.drop(index=rows[delay < 0]).reset_index(drop=True)
    return frame, schedule.reset_index(drop=True)


def _payments(rng, claims: pd.DataFrame, year: int, whole_entitlement: bool = False) -> pd.DataFrame:
    """One payment a month from the month after approval, while entitled and not stopped, in `year` up to its
    last month with a due date passed (December's is due on the 15th); `whole_entitlement`: in every year."""
    first = _month(claims["approval_date"]) + 1
    months = claims["entitled_months"].to_numpy()
    repeat = claims.loc[claims.index.repeat(months)].reset_index()
    period = first[repeat["index"].to_numpy()] + repeat.groupby("index").cumcount().to_numpy()
    stop = pd.to_datetime(repeat["stop_date"])
    due = pd.DatetimeIndex(period.astype("datetime64[D]") + np.timedelta64(DUE_DAY - 1, "D"))
    keep = (whole_entitlement | (period.astype(int) // 12 + 1970 == year)) & (stop.isna() | (due < stop)).to_numpy()
    repeat, period, due = repeat[keep], period[keep], due[keep]
    n = len(repeat)
    # how each payment went: a city's own lateness (the further from the capital, the more), then chance
    lateness = repeat["city"].map(lambda c: 0.04 + 0.01 * (int(c[2:4]) % 9)).to_numpy()
    draw = rng.random(n)
    late = draw < lateness
    unpaid = (draw > 0.995)
    short = (~late) & (~unpaid) & (rng.random(n) < 0.02)
    lapse = np.where(late, rng.choice([3, 7, 8, 12, 14, 15, 20, 21, 22, 35], n), -rng.integers(0, 3, n))
    amount_due = repeat["monthly_benefit"].to_numpy()
    paid = (due + pd.to_timedelta(lapse, unit="D")).date
    return pd.DataFrame({
        "claim_id": repeat["claim_id"].to_numpy(), "period": np.datetime_as_string(period, unit="M"),
        "due_date": due.date,
        "paid_date": np.where(unpaid, None, paid),
        "amount_due": amount_due,
        "amount_paid": np.where(unpaid, None, np.where(short, np.round(amount_due * 0.8), amount_due)),
    })


def _work(rng, claims: pd.DataFrame, payments: pd.DataFrame, year: int, minimum_wage: float):
    """Wage records: the six months before each separation, at its employer; and, for a few claimants per city,
    wages while drawing benefit (the hidden-employment cases) — plus licences and taxi permits."""
    separation = _month(claims["separation_date"])
    before = claims.loc[claims.index.repeat(6)].reset_index()
    back = before.groupby("index").cumcount().to_numpy() + 1
    wage_rows = pd.DataFrame({
        "person_id": before["person_id"].to_numpy(),
        "employer": "E" + before["city"] + (before["index"] % 400).astype(str).str.zfill(4),
        "month": np.datetime_as_string(separation[before["index"].to_numpy()] - back, unit="M"),
        "wage_base": np.round(rng.normal(620, 120, len(before)).clip(380, 1500)),
    })
    counts = payments["claim_id"].value_counts()
    drawing = claims[claims["claim_id"].map(counts).fillna(0).to_numpy() >= 6]
    picked = {city: group.sample(n=min(len(group), 12), random_state=int(city))
              for city, group in drawing.groupby("city")}
    ids = pd.concat(picked.values())["claim_id"] if picked else pd.Series([], dtype=str)
    paid_months = payments[payments["claim_id"].isin(ids)].groupby("claim_id")["period"].agg(list)
    cases, registrations = [], []
    for city, picks in picked.items():
        patterns = [(3, minimum_wage, False), (2, minimum_wage + 200, False), (3, minimum_wage + 100, True),
                    (3, minimum_wage - 1, False), (4, minimum_wage + 300, False)]
        for k, claim in enumerate(picks.itertuples()):
            months = paid_months[claim.claim_id][1:]
            if k < 10:
                count, wage, gap = patterns[k % len(patterns)]
                chosen = months[:count + 1] if gap else months[:count]
                if gap:
                    chosen = chosen[:1] + chosen[2:]
                cases += [(claim.person_id, f"H{city}{k:02d}", m, wage) for m in chosen]
            else:
                registrations.append((claim.person_id, "licence" if k % 2 else "taxi",
                                      dt.date.fromisoformat(months[0] + "-01") - dt.timedelta(days=20)))
    hidden = pd.DataFrame(cases, columns=["person_id", "employer", "month", "wage_base"])
    return (pd.concat([wage_rows, hidden], ignore_index=True),
            pd.DataFrame(registrations, columns=["person_id", "kind", "registered_on"]))


def _month(dates: pd.Series) -> np.ndarray:
    """The month of each date, as numpy months (arithmetic in whole months)."""
    return pd.to_datetime(dates).to_numpy().astype("datetime64[M]")


FILE_NAMES = {"claims": "申领.csv", "payments": "发放.csv", "wages": "缴费工资.csv", "registrations": "登记.csv",
              "transitions": "出中心.csv"}


def write_csv(frames: dict[str, pd.DataFrame], folder) -> list:
    """Each table as a CSV with the Chinese column names (UTF-8 with BOM, as Excel writes it), in `folder`."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for code, frame in frames.items():
        table = tables()[code]
        path = folder / FILE_NAMES[code]
        labelled = frame.assign(**{c.code: frame[c.code].map(c.choices.get) for c in table.columns if c.choices})
        labelled.rename(columns={c.code: c.name for c in table.columns}).to_csv(path, index=False,
                                                                                 encoding="utf-8-sig")
        written.append(path)
    return written
