"""Documents for the year-end assessment meeting (年终考评会), each returned as bytes.

- `workbook(result, config, store)`  → .xlsx: 汇总, 评分明细, 说明 (with the input fingerprint)
- `circular_docx(result, config)`    → .docx: the circular (通报)
- `circular_pdf(result, config)`     → .pdf: the same circular plus one 单位考评卡 page per city
- `warning_letter(kind, config, store, city, year, month)` → .docx or .pdf: a city's 预警报告 (letter.py)
- `contract_document(kind, config, year, city=None)` → .docx or .pdf: a city's 目标责任书, or all of the year's
  (responsibility.py)

`result` is `scorecard.assessment.scoring.score_year(...)`. `download`, `letter_download` and `report_card_download`
describe a document to offer — `data` (a callable, so the document is only built when asked for),
`file_name`, `mime`, and `disabled`/`help` saying what to install on a machine without a CJK font; the web
app serves it by its own route to the session that asked (pages/_downloads.py).

Nothing here needs a network or a browser; Word and PDF need a CJK font (see fonts.py), and
raise FontError, with what to install, when there is none. The meeting package (package.py) builds its documents
in worker processes (workers.py) and raises BuildError, in Chinese, when one of them died or took too long.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..config import Config
from ..assessment.results import YearResult
from ..data.store import Store
from .content import file_name
from .fonts import FONT_ENV, FontError, find_fonts
from .workers import BuildError


@dataclass(frozen=True)
class Format:
    label: str       # what a download button says
    document: str    # what the file name says
    mime: str
    needs_font: bool = True


FORMATS = {
    "xlsx": Format("Excel考评表", "考评结果", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   needs_font=False),
    "docx": Format("Word通报", "考评通报", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": Format("PDF通报和单位考评卡", "考评通报和单位考评卡", "application/pdf"),
}
LETTER_FORMATS = {
    "docx": Format("Word预警报告", "预警报告", FORMATS["docx"].mime),
    "pdf": Format("PDF预警报告", "预警报告", FORMATS["pdf"].mime),
}


def workbook(result: YearResult, config: Config, store: Store) -> bytes:
    from .excel import workbook as build

    return build(result, config, store)


def circular_docx(result: YearResult, config: Config) -> bytes:
    from .word import circular_docx as build

    return build(result, config)


def circular_pdf(result: YearResult, config: Config) -> bytes:
    from .pdf import circular_pdf as build

    return build(result, config)


def export(kind: str, result: YearResult, config: Config, store: Store) -> bytes:
    """The document of `kind` (xlsx, docx or pdf) as bytes."""
    if kind == "xlsx":
        return workbook(result, config, store)
    if kind == "docx":
        return circular_docx(result, config)
    if kind == "pdf":
        return circular_pdf(result, config)
    raise ValueError(f"未知的文件格式“{kind}”，可选：{'、'.join(FORMATS)}")


def export_file_name(kind: str, result: YearResult) -> str:
    return file_name(result, kind, FORMATS[kind].document)


def font_problem() -> str | None:
    """What to install (in Chinese) when this machine cannot make the Word and PDF documents, else None."""
    try:
        find_fonts()
    except FontError as exc:
        return str(exc)
    return None


def _offer(kind: Format, build, name: str) -> dict:
    problem = font_problem() if kind.needs_font else None
    return {"data": build, "file_name": name, "mime": kind.mime, "disabled": problem is not None, "help": problem}


def download(kind: str, result: YearResult, config: Config, store: Store) -> dict:
    """One document to offer: `data` is a callable that builds the bytes when asked for, `file_name`, `mime`,
    and `disabled`/`help` saying what to install when the document needs a missing font."""
    if kind not in FORMATS:
        raise ValueError(f"未知的文件格式“{kind}”，可选：{'、'.join(FORMATS)}")
    return _offer(FORMATS[kind], lambda: export(kind, result, config, store), export_file_name(kind, result))


def warning_letter(kind: str, config: Config, store: Store, city: str, year: int, month: int,
                   today: date | None = None) -> bytes:
    """The warning letter (预警报告) of a city (code, name or short name) at a month, as docx or pdf bytes.
    Raises InputError (in Chinese) for an unknown city or a city without fund data."""
    from .letter import letter_facts
    from .letter import warning_letter as compose

    if kind not in LETTER_FORMATS:
        raise ValueError(f"未知的文件格式“{kind}”，可选：{'、'.join(LETTER_FORMATS)}")
    doc = compose(letter_facts(config, store, city, year, month, today), config)
    if kind == "docx":
        from .word import document_docx

        return document_docx(doc)
    from .pdf import document_pdf

    return document_pdf(doc, "预警报告")


def letter_file_name(kind: str, config: Config, city: str, year: int, month: int, demo: bool) -> str:
    from .letter import file_name

    return file_name(config.city(config.city_lookup[city]).name, year, month, demo, kind)


CARD_FORMAT = Format("本市单位考评卡（PDF）", "单位考评卡", "application/pdf")


def report_card_pdf(result: YearResult, config: Config, city: str) -> bytes:
    from .pdf import report_card_pdf as build

    return build(result, config, city)


def report_card_download(result: YearResult, config: Config, city: str) -> dict:
    """One city's report card (单位考评卡) to offer, built when asked for (see `download`)."""
    name = f"{config.city(city).name}{file_name(result, 'pdf', CARD_FORMAT.document)}"
    return _offer(CARD_FORMAT, lambda: report_card_pdf(result, config, city), name)


def letter_download(kind: str, config: Config, store: Store, city: str, year: int, month: int, demo: bool) -> dict:
    """A city's warning letter to offer, built when asked for (see `download`)."""
    return _offer(LETTER_FORMATS[kind], lambda: warning_letter(kind, config, store, city, year, month),
                  letter_file_name(kind, config, city, year, month, demo))


CONTRACT_FORMATS = {
    "docx": Format("目标责任书（Word）", "目标责任书", FORMATS["docx"].mime),
    "pdf": Format("目标责任书（PDF）", "目标责任书", FORMATS["pdf"].mime),
}


def contract_document(kind: str, config: Config, year: int, city: str | None = None) -> bytes:
    """The 目标责任书 of a city (code, name or short name) for a year, or of every city in one file (`city` None),
    as docx or pdf bytes. Raises InputError (in Chinese) for an unknown city or a year without contracts."""
    from .responsibility import document_title, pacts

    if kind not in CONTRACT_FORMATS:
        raise ValueError(f"未知的文件格式“{kind}”，可选：{'、'.join(CONTRACT_FORMATS)}")
    chosen = pacts(config, year, city)
    title = document_title(config, year, city)
    if kind == "docx":
        from .word import pacts_docx

        return pacts_docx(chosen, title)
    from .pdf import pacts_pdf

    return pacts_pdf(chosen, title)


def contract_file_name(kind: str, config: Config, year: int, city: str | None = None) -> str:
    from .responsibility import document_title

    return f"{document_title(config, year, city)}.{kind}"


def contract_download(kind: str, config: Config, year: int, city: str | None = None) -> dict:
    """A city's 目标责任书, or the bundle of the year, to offer, built when asked for (see `download`)."""
    return _offer(CONTRACT_FORMATS[kind], lambda: contract_document(kind, config, year, city),
                  contract_file_name(kind, config, year, city))


__all__ = ["BuildError", "CARD_FORMAT", "CONTRACT_FORMATS", "contract_document", "contract_download", "contract_file_name", "FONT_ENV", "FORMATS", "LETTER_FORMATS", "FontError", "circular_docx", "circular_pdf",
           "download", "export", "export_file_name", "font_problem", "letter_download", "letter_file_name",
           "report_card_download", "report_card_pdf", "warning_letter", "workbook"]
