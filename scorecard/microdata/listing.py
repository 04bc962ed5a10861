"""Claims as a person may see them: only the cities they may see, names masked unless their role checks records,
the person shown by the start of the id's keyed hash (the id itself is not kept)."""

from __future__ import annotations

import pandas as pd

from ..roles import Principal
from .derive import in_force
from .engines import connected
from .masking import shown_name, shown_person
from .store import PersonStore

CLAIM_COLUMNS = {"claim_id": "申领编号", "person": "人员标识", "person_name": "姓名", "city": "市州",
                 "community": "街道社区", "approval_date": "核准日期", "monthly_benefit": "月失业保险金"}


def claims_seen(store: PersonStore, principal: Principal, city: str | None = None,
                as_of: int | None = None) -> pd.DataFrame:
    with connected("duckdb", store) as con:
        claims = in_force(con, "claims", as_of)
        if city is not None:
            claims = claims.filter(claims.city == city)
        frame = claims.order_by("claim_id").to_pandas()
    frame = frame[frame["city"].map(principal.may_see)]
    frame = frame.assign(person=frame["person_id"].map(shown_person),
                         person_name=frame["person_name"].map(lambda n: shown_name(principal, n)))
    return frame[list(CLAIM_COLUMNS)].rename(columns=CLAIM_COLUMNS).reset_index(drop=True)
