"""`scorecard validate`: check the whole config folder (access.yaml included) and print every problem."""

from __future__ import annotations

import sys

from ..config import HEADER
from ..config import load_access, load_config
from ..config.targets import load_targets
from ..microdata.settings import checked as record_settings
from ..config.cascade import cascade_warnings
from . import CliError


def register(subparsers) -> None:
    parser = subparsers.add_parser("validate", help="检查配置目录，列出全部问题")
    parser.set_defaults(run=run)


def run(context, args) -> int:
    config, problems = load_config(context.config_dir)
    access, access_problems = load_access(context.config_dir)
    target_problems = load_targets(config)[1] if config is not None else []  # 目标制定's rules (targets.yaml)
    cities = {city.code for city in config.cities} if config is not None else None
    target_problems += record_settings(context.config_dir, cities)[1]         # person records (records.yaml)
    for problem in problems + access_problems + target_problems:
        print(problem, file=sys.stderr)
    if problems or access_problems or target_problems:
        raise CliError(f"配置有{len(problems) + len(access_problems) + len(target_problems)}处问题，请先修正")
    years = config.years()
    print(f"配置检查通过：{context.config_dir}")
    below = f"，下辖县（市、区） {len(config.counties)} 个" if config.counties else ""
    print(f"  市州 {len(config.cities)} 个{below}，统计项 {len(config.measures)} 个，考核指标 {len(config.indicators)} 项")
    if access.mode == HEADER:
        print(f"  登录：单位统一认证（请求头 {access.header}，登记用户 {len(access.users)} 个）")
    else:
        print("  登录：本系统账号（scorecard user add 新增）")
    print(f"  {access.idle_minutes:g}分钟不操作自动退出，一次登录最长{access.max_hours:g}小时")
    if not years:
        raise CliError("还没有任何目标责任书（config/contracts/<年度>/）")
    for year in years:
        assessment = config.assessment_for(year)
        lower = sum(1 for y, code in config.contracts if y == year and config.level(code) > 1)
        print(f"  {year}年：目标责任书 {len(config.contracts_for(year))} 份" + (f"（另有县（市、区） {lower} 份）" if lower else "")
              + f"，加减分 {len(assessment.adjustments)} 项，一票否决 {len(assessment.vetoes)} 项")
    warnings = cascade_warnings(config)
    for warning in warnings:
        print(warning)
    if warnings:
        print(f"有{len(warnings)}处警告（不影响使用，请核对下达给县（市、区）的目标）")
    return 0
