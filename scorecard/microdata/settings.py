"""records.yaml: what person records need besides the tables — where the key file is, the days within which an
出中心 person should be brought into insurance, the local minimum wages by city and date, the separation reasons
that give no benefit, the assumptions of the forecast (通知第六条), how recipients are posted (公示) and
where Spark runs (`--engine spark`). The file may be absent (an old config folder): then no key is configured
and the defaults hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar, Collection

from pydantic import Field, field_validator

from ..config.checks import read
from ..config.schema import Schema, Text
from ..rules import refuse
from ..config.yamlsource import Problem, YMap
from ..errors import InputError

FILE = "records.yaml"


class MinimumWage(Schema):
    what: ClassVar[str] = "最低工资标准"
    since: dt.date = Field(alias="from")
    amount: float = Field(gt=0)


class SparkSettings(Schema):
    """Where `--engine spark` runs: the Spark master (a cluster's URL; local[2] on this machine) and, for a
    cluster, the folder of the person tables as Parquet (<parquet>/claims.parquet, …, the columns of the
    person-records file); without it the tables are exported from the person-records file."""
    what: ClassVar[str] = "Spark 设置"
    master: str = "local[2]"
    parquet: str | None = None


class FindingDeductions(Schema):
    """The deduction an assessor is offered per city for its findings confirmed on 核查 (属实)."""
    what: ClassVar[str] = "规则核查扣分建议"
    per_finding: float = Field(default=0.2, gt=0, le=100)
    most: float = Field(default=2.0, gt=0, le=100)


class ForecastSettings(Schema):
    """通知第六条的预测假设：未写的领取率、平均月失业保险金和平均领取月数由申领记录估计。"""
    what: ClassVar[str] = "预测设置"
    months: int = Field(default=12, ge=6, le=12)
    take_up: float | None = Field(default=None, ge=0, le=1)
    monthly_benefit: float | None = Field(default=None, gt=0)
    duration_months: float | None = Field(default=None, gt=0, le=36)


INELIGIBLE_REASONS = {"11": "本人申请", "12": "平等协商", "13": "自愿解除劳动关系", "14": "关闭破产领取一次性安置费"}


class PostingSettings(Schema):
    """The 公示 lists of recipients (2003 notice point 8): names masked or not, how many days a list stays up,
    and where objections go ({市州}: the city's name)."""

    what: ClassVar[str] = "公示设置"
    mask_names: bool = True
    days: int = Field(default=7, ge=1, le=90)
    objections_to: Text = "{市州}失业保险经办机构"

    def objections_of(self, city: str) -> str:
        return self.objections_to.replace("{市州}", city)


class RecordSettings(Schema):
    what: ClassVar[str] = "个人记录设置"
    person_key_file: str | None = None
    transition_enrol_days: int = Field(default=30, ge=0, le=366)
    minimum_wages: dict[str, tuple[MinimumWage, ...]] = {}
    # 2003 notice point 5: who left of their own will, or took a lump sum on closure or bankruptcy, gets nothing
    ineligible_reasons: dict[str, str] = dict(INELIGIBLE_REASONS)
    deductions: FindingDeductions = FindingDeductions()
    forecast: ForecastSettings = ForecastSettings()
    posting: PostingSettings = PostingSettings()
    spark: SparkSettings = SparkSettings()

    @field_validator("minimum_wages")
    @classmethod
    def _dated_in_order(cls, value):
        for city, steps in value.items():
            if [s.since for s in steps] != sorted({s.since for s in steps}):
                raise refuse(f"{{what}}中市州{city}的最低工资标准应按执行日期（from）从早到晚排列，且日期不重复")
        return value

    def key_file(self, config_dir: Path) -> str | None:
        """The key file as configured, a relative path taken from the config folder."""
        if self.person_key_file is None:
            return None
        path = Path(self.person_key_file).expanduser()
        return str(path if path.is_absolute() else config_dir / path)


def checked(config_dir: Path, cities: Collection[str] | None = None) -> tuple[RecordSettings | None, list[Problem]]:
    """The settings, or None with every problem of records.yaml (file:line); given the codes of the configured
    市州, a minimum wage for any other code is a problem too (a mistyped code leaves the real city without one)."""
    problems: list[Problem] = []
    raw, check = read(Path(config_dir), FILE, problems, required=False)
    settings = RecordSettings() if raw is None and not problems else (
        check.validated(RecordSettings, raw, "个人记录设置") if isinstance(raw, dict) else None)
    if raw is not None and not isinstance(raw, dict):
        check.error(1, "records.yaml 应当是“键: 值”形式的映射")
    if settings is not None and cities is not None:
        wages = raw.get("minimum_wages") if isinstance(raw, YMap) else None
        for code in settings.minimum_wages:
            if code not in cities:
                line = wages.line_of(code) if isinstance(wages, YMap) else None
                check.error(line, f"{MinimumWage.what}中的“{code}”不是 cities.yaml 中的市州")
    return (None if problems else settings), problems


def load(config_dir: Path) -> RecordSettings:
    settings, problems = checked(config_dir)
    if settings is None:
        raise InputError("；".join(str(p) for p in problems))
    return settings
