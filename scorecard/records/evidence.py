"""Evidence (辅证材料) of an assessor's decision: a PDF, a PNG or JPEG image or an xlsx workbook, recognised by
its content (not by its name), at most MAX_BYTES, kept by its sha256 in a private folder beside the data
database (`<name>.evidence/`, 0700, files 0600), the way an import keeps its original (data.history). The file
name as uploaded is data: it is recorded with the decision and never used as a path."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..data.history import OriginalCopy
from ..data.store import Store
from ..errors import InputError

MAX_BYTES = 10 * 1024 * 1024
KIND_NAMES = {"pdf": "PDF文件", "png": "PNG图片", "jpeg": "JPEG图片", "xlsx": "Excel工作簿（xlsx）"}


@dataclass(frozen=True)
class Evidence:
    sha256: str
    file_name: str
    kind: str
    size: int


def evidence_dir(store: Store) -> Path:
    return store.path.with_name(store.path.stem + ".evidence")


def kind_of(path: Path) -> str | None:
    """pdf, png, jpeg or xlsx by the first bytes (an xlsx: a zip holding [Content_Types].xml and xl/)."""
    with open(path, "rb") as file:
        head = file.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as workbook:
                names = set(workbook.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def checked(path, file_name: str | None = None) -> tuple[Path, Evidence]:
    """A file offered as evidence, refused in Chinese when it is missing, too large or of another type."""
    path = Path(path)
    name = (file_name or path.name).strip() or "未命名文件"
    if not path.is_file():
        raise InputError(f"辅证材料“{name}”不存在或不是文件")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"辅证材料“{name}”有{size / 1024 / 1024:.1f}MB，超过{MAX_BYTES // 1024 // 1024}MB的上限")
    if size == 0:
        raise InputError(f"辅证材料“{name}”是空文件")
    kind = kind_of(path)
    if kind is None:
        raise InputError(f"辅证材料“{name}”不是PDF文件、PNG或JPEG图片或Excel工作簿（xlsx），"
                         "按文件内容判断，与扩展名无关")
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return path, Evidence(digest.hexdigest(), name[:200], kind, size)


class EvidenceCopy(OriginalCopy):
    """A copy of an evidence file on its way into the evidence folder (written, kept or dropped as an original)."""

    def __init__(self, store: Store, sha256: str):
        super().__init__(store, sha256)
        self.folder = evidence_dir(store)
        self.path = self.folder / sha256


def find(store: Store, sha256: str) -> Path | None:
    path = evidence_dir(store) / sha256
    return path if len(sha256) == 64 and path.is_file() else None
