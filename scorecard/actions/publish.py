"""Publishing a year's result (发布): by an assessor (roles.PUBLISH; a refusal is audited). The result is computed
now by the one scorer and stored with the fingerprint of its inputs and its audit line in one transaction."""

from __future__ import annotations

from .decisions import permitted
from ..assessment.fingerprint import input_fingerprint
from ..assessment.scoring import score_year
from ..report import archive
from ..report.publication import inputs_of
from ..report.serialize import score_dict, to_json
from ..config import Config
from ..data.store import Store
from ..errors import InputError
from ..records import publications
from ..records.audit import Actor
from ..records.publications import Publication
from ..roles import PUBLISH, Principal


def publish(store: Store, by: Principal, config: Config, year: int, month: int = 12, *, reason: str,
            address: str | None = None) -> Publication:
    records = permitted(store, by, PUBLISH, "发布考评结果", address)
    if not (reason or "").strip():
        raise InputError("发布考评结果须写明理由（如 年终考评会议审定；再次发布时写明更正的内容）")
    result = score_year(config, store, year, month)
    saved = publications.add(records, year, month, to_json(score_dict(result)), inputs_of(config, store, year),
                             reason=reason.strip(), actor=Actor.of(by, address), archive=archive.dump(result, input_fingerprint(config, store, result)))
    return saved
