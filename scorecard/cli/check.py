"""`scorecard validate`: check the whole config folder and print every problem."""

from __future__ import annotations

from . import CliError


def register(subparsers) -> None:
    parser = subparsers.add_parser("validate", help="检查配置目录，列出全部问题")
    parser.set_defaults(run=run)


def run(context, args) -> int:
    config = context.config()
    years = config.years()
    print(f"配置检查通过：{context.config_dir}")
    print(f"  市州 {len(config.cities)} 个，统计项 {len(config.measures)} 个，考核指标 {len(config.indicators)} 项")
    if not years:
        raise CliError("还没有任何目标责任书（config/contracts/<年度>/）")
    for year in years:
        assessment = config.assessment_for(year)
        print(f"  {year}年：目标责任书 {len(config.contracts_for(year))} 份，"
              f"加减分 {len(assessment.adjustments)} 项，一票否决 {len(assessment.vetoes)} 项")
    return 0
