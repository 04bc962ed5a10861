"""身份证号: the GB 11643-1999 check digit (ISO 7064 MOD 11-2), the keyed hash that is all the database keeps of
an id, and the key file that hash needs (outside the data folder, so that a copy of the data alone cannot
be turned back into ids by hashing every plausible number)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from .. import private
from ..errors import InputError

KEY_ENV = "SCORECARD_PERSON_KEY"
KEY_BYTES = 32
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))   # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
CHECK_CHARS = "10X98765432"                               # the check character for a weighted sum mod 11


def check_character(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def id_problem(text: str) -> str | None:
    """What is wrong with an 18-character 身份证号, in the words of a row error; None when it is right."""
    if len(text) != 18 or not text[:17].isdigit() or text[17] not in "0123456789Xx":
        return "身份证号应为18位（前17位数字，末位数字或X）"
    if check_character(text[:17]) != text[17].upper():
        return "身份证号校验位错误"
    return None


def check_sql(column: str) -> str:
    """The same check as a DuckDB expression over a VARCHAR column: the problem's words, or NULL."""
    total = " + ".join(f"{w} * CAST(substr({column}, {i + 1}, 1) AS INTEGER)" for i, w in enumerate(WEIGHTS))
    return (f"CASE WHEN NOT regexp_full_match({column}, '[0-9]{{17}}[0-9Xx]') "
            f"THEN '身份证号应为18位（前17位数字，末位数字或X）' "
            f"WHEN substr('{CHECK_CHARS}', ({total}) % 11 + 1, 1) <> upper(substr({column}, 18, 1)) "
            f"THEN '身份证号校验位错误' END")


def keyed_hash(person_id: str, key: bytes) -> str:
    """HMAC-SHA256 of the id (its X upper-cased), hex: the same person under the same key, always."""
    return hmac.new(key, person_id.strip().upper().encode("ascii"), hashlib.sha256).hexdigest()


class KeyMissing(InputError):
    """No key to hash ids with: said with how to make one."""


def key_path(configured: str | None = None) -> Path | None:
    """Where the key file is: the environment variable, else the config's person_key_file."""
    text = os.environ.get(KEY_ENV) or configured
    return Path(text).expanduser() if text else None


def load_key(path: Path | None, data_folder: Path) -> bytes:
    how = (f"请先生成密钥文件：scorecard records key --new --out 密钥文件路径（放在数据目录之外），"
           f"再设置环境变量 {KEY_ENV}=密钥文件路径，或在 records.yaml 中写 person_key_file")
    if path is None:
        raise KeyMissing(f"没有身份证号散列密钥，不能导入个人记录。{how}")
    if not path.is_file():
        raise KeyMissing(f"密钥文件 {path} 不存在。{how}")
    if _inside(path, data_folder):
        raise KeyMissing(f"密钥文件 {path} 在数据目录 {data_folder} 之内：密钥应与数据分开保存。{how}")
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (ValueError, UnicodeDecodeError, OSError):
        key = b""
    if len(key) < KEY_BYTES:
        raise KeyMissing(f"密钥文件 {path} 的内容不是本系统生成的密钥（应为64位十六进制）。{how}")
    return key


def new_key(path: Path, data_folder: Path) -> Path:
    """Write a fresh random key (0600); an existing key is never overwritten (every hash made with it would be
    lost)."""
    if _inside(path, data_folder):
        raise InputError(f"密钥文件 {path} 不能放在数据目录 {data_folder} 之内，请换一个位置")
    if path.exists():
        raise InputError(f"密钥文件 {path} 已存在，未覆盖（换了密钥，已导入记录的散列将无法与新导入的对应）")
    path.parent.mkdir(parents=True, exist_ok=True)
    with private.umask():
        path.write_text(secrets.token_hex(KEY_BYTES) + "\n", encoding="ascii")
    return path


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
