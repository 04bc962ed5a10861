"""User names and passwords: the rules for both, and argon2id hashing (argon2-cffi). A password is never stored,
printed or logged, and a hash never leaves the records layer."""

from __future__ import annotations

import re
import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import InputError

MIN_PASSWORD = 10

# argon2id with the library's defaults (RFC 9106 low-memory profile); tests swap in a cheaper one.
hasher = PasswordHasher()
_dummy_hash: str | None = None


def normalize_name(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def check_name(name: str) -> str:
    name = normalize_name(name)
    if not re.fullmatch(r"[\w.@-]{2,64}", name):
        raise InputError(f"用户名“{name}”无效：应为2至64个字母、数字、汉字或 . _ - @，不含空格")
    return name


def check_password(password: str, name: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码太短：至少{MIN_PASSWORD}个字符")
    if name and name in password.lower():
        raise InputError("密码不能包含用户名")
    if len(set(password)) < 4:
        raise InputError("密码过于简单：至少要有4个不同的字符")


def one_time_password(name: str) -> str:
    """A random password to be shown once, to a person who hands it on (a new account, a reset)."""
    while True:
        password = secrets.token_urlsafe(9)
        try:
            check_password(password, name)
        except InputError:
            continue
        return password


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher.check_needs_rehash(password_hash)


def spend_a_verification(password: str) -> None:
    """As long as a real check, so that the time taken does not tell an unknown name from a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hasher.hash(secrets.token_hex(16))
    verify(_dummy_hash, password)
