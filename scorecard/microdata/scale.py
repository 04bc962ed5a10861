"""A province's person records for the benchmarks (issue 17 §6: about 300 k claims, 5 M payments, 50 M wage rows a
year), deterministic for a seed and written straight to Parquet, the wage rows in chunks (memory bounded):

- the claims, payments, registrations and 出中心 schedule of the demo generator (demo.py) at that size, with the
  entitlements of a province whose claimants mostly paid in for years (12, 18 or 24 months, some 6) and every
  month of them paid — into the next year too, a payment history of about 17 periods a claim;
- the claimants' wage records: the six months before each separation (demo.py), the demo's planted cases, and, for
  `HIDDEN_SHARE` of the claims drawing in the year, wages at a new employer during paid months: runs of 3 to 6
  months at or above the minimum wage (findings), 2 months only, 3 months just below it, 3 with a gap (none);
- the insured working population: `wage_rows` less the claimants' rows, 12 months of `year` per worker, at an
  employer of their city (a few change employer in the year), most of them never claimants.
Everything is vectorised numpy / pyarrow: a worker's 身份证号 is made from their number (region, birth date and
sequence are a one-to-one function of it, so no two are the same), its check digit computed on the digit matrix.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .demo import CITY_WEIGHT, DEMO_MINIMUM_WAGE, generate
from .personid import CHECK_CHARS, WEIGHTS

PROVINCE_ENTITLED = ((6, 12, 18, 24), (.05, .25, .3, .4))
HIDDEN_SHARE = 0.03               # claims drawing benefit in the year with wages at a new employer while drawing
WORKER_REGIONS = 6                # county codes 03–08 of a city (claimants' ids are of 02: never the same id)
EMPLOYERS_PER_CITY = 5000
BIRTH_DAYS = 365 * 35             # born 1948 to 1982
CHUNK_WORKERS = 250_000           # 3 M wage rows a chunk
WAGE_SCHEMA = pa.schema([("person_id", pa.string()), ("employer", pa.string()), ("month", pa.string()),
                         ("wage_base", pa.float64())])


def province(cities, folder: Path, year: int = 2003, claims: int = 300_000, wage_rows: int = 50_000_000,
             seed: int = 2003, minimum_wage: float = DEMO_MINIMUM_WAGE) -> dict[str, tuple[Path, int]]:
    """Write every table as `folder`/<code>.parquet (codes as column names, ids in clear, as a city sends them);
    per table, its file and rows."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frames = generate(cities, year, claims, seed, minimum_wage, PROVINCE_ENTITLED, whole_entitlement=True)
    rng = np.random.default_rng([seed, year])
    claimant_wages = pd.concat([frames.pop("wages"), _while_drawing(rng, frames, year, minimum_wage)],
                               ignore_index=True)
    written = {}
    for code, frame in frames.items():
        path = folder / f"{code}.parquet"
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
        written[code] = path, len(frame)
    path = folder / "wages.parquet"
    with pq.ParquetWriter(path, WAGE_SCHEMA) as out:
        out.write_table(pa.Table.from_pandas(claimant_wages, WAGE_SCHEMA, preserve_index=False))
        workers = max(0, wage_rows - len(claimant_wages)) // 12
        for start in range(0, workers, CHUNK_WORKERS):
            out.write_table(_workers(np.random.default_rng([seed, year, start]), [c.code for c in cities], year,
                                     start, min(CHUNK_WORKERS, workers - start)))
    written["wages"] = path, len(claimant_wages) + workers * 12
    return written


def _while_drawing(rng, frames: dict[str, pd.DataFrame], year: int, minimum_wage: float) -> pd.DataFrame:
    """Wages at a new employer in paid months of `year` for HIDDEN_SHARE of the claims paid in it, by case:
    0 a run at exactly the minimum wage, 1 a run above it (3 to 6 months: findings), 2 two months only,
    3 three months just below it, 4 three months with a gap month (none)."""
    payments = frames["payments"]
    paid = payments[payments["period"].str.startswith(str(year)) & payments["paid_date"].notna()]
    claim = paid["claim_id"].to_numpy()
    rank = paid.groupby("claim_id", sort=False).cumcount().to_numpy()
    count = paid.groupby("claim_id", sort=False)["period"].transform("size").to_numpy()
    claims = paid["claim_id"].unique()
    chosen = pd.Series(rng.random(len(claims)) < HIDDEN_SHARE, index=claims)
    case = pd.Series(rng.integers(0, 5, len(claims)), index=claims)
    length = pd.Series(np.where(case.to_numpy() < 2, rng.integers(3, 7, len(claims)),
                                np.where(case.to_numpy() == 2, 2, np.where(case.to_numpy() == 4, 4, 3))),
                       index=claims)
    offset = pd.Series(rng.random(len(claims)), index=claims)
    case, length = case[claim].to_numpy(), np.minimum(length[claim].to_numpy(), count)
    start = np.floor(offset[claim].to_numpy() * (count - length + 1)).astype(int)
    inside = chosen[claim].to_numpy() & (count >= 3) & (rank >= start) & (rank < start + length)
    inside &= ~((case == 4) & (rank == start + 1))     # the gap month
    rows = paid[inside].merge(frames["claims"][["claim_id", "person_id", "city"]], on="claim_id")
    case = case[inside]
    above, below = minimum_wage + 50 * rng.integers(1, 9, len(rows)), minimum_wage - rng.integers(1, 30, len(rows))
    wage = np.select([case == 0, case == 1, case == 3], [minimum_wage, above, below], minimum_wage + 100)
    return pd.DataFrame({"person_id": rows["person_id"].to_numpy(),
                         "employer": "G" + rows["city"] + (rows["claim_id"].str[-4:]),
                         "month": rows["period"].to_numpy(), "wage_base": wage.astype(float)})


def _workers(rng, codes: list[str], year: int, start: int, count: int) -> pa.Table:
    """12 wage rows (the months of `year`) of each of workers start … start + count - 1."""
    weights = np.array([CITY_WEIGHT.get(c, 0.1) for c in codes])
    city = rng.choice(len(codes), count, p=weights / weights.sum())
    number = np.arange(start, start + count)
    region = np.array([int(c[:4]) * 100 for c in codes])[city] + 3 + number % WORKER_REGIONS
    within = number // WORKER_REGIONS
    birth = np.datetime64("1948-01-01") + (within * 7919) % BIRTH_DAYS           # spread over the 35 years
    seq = within // BIRTH_DAYS + 1
    ids = _person_ids(region, birth, seq)
    employer = city * EMPLOYERS_PER_CITY + rng.integers(0, EMPLOYERS_PER_CITY, count)
    moved = rng.random(count) < 0.08                     # a new employer from a month of the year
    since = rng.integers(1, 12, count)
    later = city * EMPLOYERS_PER_CITY + rng.integers(0, EMPLOYERS_PER_CITY, count)
    base = np.exp(rng.normal(np.log(650), 0.35, count)).clip(380, 4000)
    month = np.tile(np.arange(12), count)
    worker = np.repeat(np.arange(count), 12)
    at = np.where(moved[worker] & (month >= since[worker]), later[worker], employer[worker])
    wage = np.round(base[worker] * (1 + 0.03 * rng.standard_normal(count * 12)))
    names = pa.array([f"E{c}{e:05d}" for c in codes for e in range(EMPLOYERS_PER_CITY)], pa.string())
    months = pa.array([f"{year}-{m:02d}" for m in range(1, 13)], pa.string())
    return pa.table([pc.take(ids, pa.array(worker)), pc.take(names, pa.array(at)), pc.take(months, pa.array(month)),
                     pa.array(wage, pa.float64())], schema=WAGE_SCHEMA)


def _person_ids(region: np.ndarray, birth: np.ndarray, seq: np.ndarray) -> pa.Array:
    """18-character 身份证号 of region (6 digits), birth date and sequence (3 digits), with the check character."""
    day = pd.DatetimeIndex(birth)
    body = np.column_stack([_digits(region, 6), _digits(day.year * 10000 + day.month * 100 + day.day, 8),
                            _digits(seq, 3)])
    check = np.frombuffer(CHECK_CHARS.encode(), np.uint8)[(body.astype(np.int64) @ np.array(WEIGHTS)) % 11]
    chars = np.column_stack([body + ord("0"), check]).astype(np.uint8)
    offsets = np.arange(0, 18 * (len(chars) + 1), 18, dtype=np.int32)
    return pa.StringArray.from_buffers(len(chars), pa.py_buffer(offsets), pa.py_buffer(chars.tobytes()))


def _digits(values, width: int) -> np.ndarray:
    values = np.asarray(values, np.int64)
    return np.stack([(values // 10 ** (width - 1 - k)) % 10 for k in range(width)], axis=1)
