"""What a person's name shows to whom: in full to those who check records (省级审核, who import them), masked
(张*三) to everyone else; a 身份证号 is never shown, only the first characters of its keyed hash."""

from __future__ import annotations

from ..roles import IMPORT, REVIEW, Principal


def masked_name(name: str | None) -> str | None:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明."""
    if not name:
        return name
    name = name.strip()
    if len(name) <= 2:
        return name[0] + "*" * (len(name) - 1) if len(name) == 2 else name
    return name[0] + "*" * (len(name) - 2) + name[-1]


def sees_names(principal: Principal) -> bool:
    return principal.may(REVIEW) or principal.may(IMPORT)


def shown_name(principal: Principal, name: str | None) -> str | None:
    return name if sees_names(principal) else masked_name(name)


def shown_person(person_hash: str) -> str:
    return person_hash[:12]
