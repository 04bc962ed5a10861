"""`scorecard records …`: person records (issue 17) — the hashing key, importing, demo records, derived
measures, the notice's rules checked, the 公示 lists."""

from __future__ import annotations

import sys
from pathlib import Path

from . import EXIT_INVALID, EXIT_MISUSE, CliError, date_arg, month_arg, positive_int, year_arg


def register(subparsers) -> None:
    records = subparsers.add_parser("records", help="个人记录：申领、发放、缴费工资、登记、出中心计划（导入与由记录得出的统计）")
    commands = records.add_subparsers(dest="records_command", metavar="子命令")
    commands.required = True
    key = commands.add_parser("key", help="生成身份证号散列密钥文件（放在数据目录之外）")
    key.add_argument("--new", action="store_true", required=True, help="生成新的密钥（已有的密钥文件不会被覆盖）")
    key.add_argument("--out", required=True, metavar="FILE", help="密钥文件路径")
    key.set_defaults(run=run_key)
    load = commands.add_parser("import", help="导入个人记录文件（CSV 或 Parquet；所有文件全部成功或全部不导入）")
    load.add_argument("files", nargs="+", metavar="FILE", help="表头写列代码或中文列名，见 README“个人记录”一节")
    load.set_defaults(run=run_import)
    demo = commands.add_parser("demo", help="生成演示个人记录（九个市州，确定性的，演示数据）")
    demo.add_argument("--out", required=True, metavar="DIR", help="写出CSV文件的目录")
    demo.add_argument("--year", type=year_arg, default=2003, help="年度（默认 2003）")
    demo.add_argument("--claims", type=positive_int, default=30000, help="申领记录数（默认 30000）")
    demo.add_argument("--seed", type=positive_int, default=2003, help="随机种子（同一种子生成相同的记录）")
    demo.add_argument("--import", dest="load", action="store_true", help="生成后随即导入")
    demo.set_defaults(run=run_demo)
    register_derive(commands)
    register_posting(commands)


def run_key(context, args) -> int:
    from ..microdata import personid

    path = personid.new_key(Path(args.out).expanduser(), context.db_path.parent)
    print(f"已生成密钥文件 {path}。请妥善保管、另行备份（丢失后已导入记录的散列无法再与新记录对应），"
          f"并设置环境变量 {personid.KEY_ENV}={path}，或在 records.yaml 中写 person_key_file: {path}")
    return 0


def run_import(context, args) -> int:
    from ..actions.person_records import import_records
    from ..microdata.importer import ImportRefused

    try:
        summary = import_records(context.store(), context.config(), args.files, context.principal())
    except ImportRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        raise CliError(str(refused), EXIT_INVALID) from None
    print(summary.said())
    return 0


def run_demo(context, args) -> int:
    from ..microdata.demo import generate, write_csv

    config = context.config()
    frames = generate(config.cities, args.year, args.claims, args.seed)
    paths = write_csv(frames, Path(args.out))
    counts = "，".join(f"{path.name} {len(frame)}条" for path, frame in zip(paths, frames.values()))
    print(f"已生成演示个人记录（演示数据）：{counts}，在 {Path(args.out)}")
    if args.load:
        args.files = paths
        return run_import(context, args)
    return 0


def register_derive(commands) -> None:
    from ..microdata.engines import ENGINES

    derive = commands.add_parser("derive", help="由个人记录得出各市州各月的统计（应发人次、按时足额发放人次、发放间隔、"
                                                "月末领取人数、出中心纳入失业保险人数）")
    derive.add_argument("--year", type=year_arg, required=True, help="年度")
    derive.add_argument("--engine", choices=ENGINES, default="duckdb", help="计算引擎（默认 duckdb）")
    derive.add_argument("--as-of-import", type=positive_int, default=None, metavar="N",
                        help="按第N次个人记录导入后的记录计算（重现当时的结果）")
    derive.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    derive.set_defaults(run=run_derive)
    check = commands.add_parser("reconcile", help="核对：各市州各月报送的数与由个人记录得出的数并列，标出不一致")
    check.add_argument("--year", type=year_arg, required=True, help="年度")
    check.add_argument("--engine", choices=ENGINES, default="duckdb", help="计算引擎（默认 duckdb）")
    check.add_argument("--as-of-import", type=positive_int, default=None, metavar="N",
                       help="按第N次个人记录导入后的记录计算")
    check.add_argument("--differences", action="store_true", help="只列出不一致、未报送或无记录的")
    check.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    check.set_defaults(run=run_reconcile)
    rules = commands.add_parser("check", help="规则检查：不符合条件仍发放、领取期间隐性就业、出中心人员未及时纳入失业保险")
    rules.add_argument("--year", type=year_arg, required=True, help="年度")
    rules.add_argument("--rule", choices=["ineligible", "hidden_employment", "late_enrolment"], default=None,
                       help="只检查一项：ineligible 不符合领取条件仍发放（通知第五条）、hidden_employment 领取期间已就业"
                            "（第八条）、late_enrolment 出中心人员未及时纳入（第七条）；缺省全部检查")
    rules.add_argument("--engine", choices=ENGINES, default="duckdb", help="计算引擎（默认 duckdb）")
    rules.add_argument("--as-of-import", type=positive_int, default=None, metavar="N",
                       help="按第N次个人记录导入后的记录检查")
    rules.add_argument("--format", choices=["table", "json", "xlsx"], default="table", help="输出格式（默认 table）")
    rules.add_argument("--out", metavar="FILE", default=None, help="xlsx 写到哪个文件（默认 <年度>年规则检查.xlsx）")
    rules.set_defaults(run=run_check)
    verify = commands.add_parser("verify", help="登记规则检查发现的核查结果（属实或不属实），记入审计日志")
    verify.add_argument("--year", type=year_arg, required=True, help="年度")
    verify.add_argument("--finding", required=True, metavar="编号", help="发现编号（records check 列出的“发现编号”）")
    verify.add_argument("--outcome", required=True, choices=["属实", "不属实"], help="核查结果")
    verify.add_argument("--note", default=None, help="核查说明；不属实的须写明理由")
    verify.add_argument("--engine", choices=ENGINES, default="duckdb", help="计算引擎（默认 duckdb）")
    verify.set_defaults(run=run_verify)


DERIVE_COLUMNS = (("benefits_payable", "应发人次"), ("benefits_paid_on_time", "按时足额"),
                  ("timely_payment_rate", "按时足额发放率"), ("lapse_0_7", "0-7天"), ("lapse_8_14", "8-14天"),
                  ("lapse_15_21", "15-21天"), ("lapse_over_21", "21天以上"), ("unpaid", "未发放"),
                  ("recipients", "月末领取人数"), ("transition_eligible", "出中心应纳入"),
                  ("transition_enrolled", "已纳入"))


def run_derive(context, args) -> int:
    from .. import formatting as fmt
    from ..microdata.measures import derived_frame, wide
    from ..microdata.store import PersonStore
    from ..report.serialize import to_json

    config = context.config()
    frame = wide(derived_frame(PersonStore.beside(context.db_path), config, args.year, args.engine,
                               args.as_of_import))
    names = {c.code: c.name for c in config.cities}
    if args.format == "json":
        rows = [{"year": args.year, "month": int(r.month), "city": r.city, "city_name": names.get(r.city, r.city),
                 **{code: _number(r, code) for code, _ in DERIVE_COLUMNS}} for r in frame.itertuples()]
        print(to_json({"year": args.year, "as_of_import": args.as_of_import, "engine": args.engine, "rows": rows}))
        return 0
    rows = [[names.get(r.city, r.city), f"{r.month}月"] +
            [_rate(_number(r, code)) if code == "timely_payment_rate" else f"{_number(r, code):.0f}"
             for code, _ in DERIVE_COLUMNS] for r in frame.itertuples()]
    note = f"（按第{args.as_of_import}次个人记录导入后的记录）" if args.as_of_import else ""
    print(f"{args.year}年 由个人记录得出的统计{note}\n")
    print(fmt.text_table(["市州", "月份"] + [name for _, name in DERIVE_COLUMNS], rows,
                         set(range(2, 2 + len(DERIVE_COLUMNS)))))
    return 0


def _rate(value: float | None) -> str:
    from .. import formatting as fmt

    return "无应发" if value is None else fmt.percent(value)


def _number(row, code: str) -> float | None:
    value = float(getattr(row, code))
    return None if value != value else value  # NaN: no payments due, so no rate


def run_reconcile(context, args) -> int:
    from .. import formatting as fmt
    from ..microdata.derive import MEASURES
    from ..microdata.reconcile import reconciliation
    from ..report.serialize import to_json

    config = context.config()
    lines = reconciliation(config, context.store(), args.year, args.engine, args.as_of_import)
    flagged = sum(line.flagged for line in lines)
    shown = [line for line in lines if line.flagged] if args.differences else lines
    names = {c.code: c.name for c in config.cities}
    if args.format == "json":
        print(to_json({"year": args.year, "as_of_import": args.as_of_import, "flagged": flagged, "rows": [
            {"city": x.city, "city_name": names[x.city], "month": x.month, "measure": x.measure,
             "reported": x.reported, "derived": x.derived, "difference": x.difference, "status": x.status,
             "flagged": x.flagged} for x in shown]}))
        return 0
    number = lambda v: "—" if v is None else f"{v:,.0f}"  # noqa: E731
    rows = [[names[x.city], f"{x.month}月", MEASURES[x.measure], number(x.reported), number(x.derived),
             "—" if x.difference is None else f"{x.difference:+,.0f}", ("※" if x.flagged else "") + x.status]
            for x in shown]
    print(f"{args.year}年 报送数与个人记录得出数核对：共{len(lines)}项，其中{flagged}项不一致、未报送或无记录（※）\n")
    print(fmt.text_table(["市州", "月份", "统计项", "市州报送", "记录得出", "差额", "核对"], rows, {3, 4, 5}))
    return 0


def run_check(context, args) -> int:
    from ..assessment.person_findings import by_city, checked, paid_amounts
    from ..microdata.checks import RULES
    from ..microdata.findings import RULE_ORDER
    from ..report.serialize import to_json

    config, store, principal = context.config(), context.store(), context.principal()
    rules = [args.rule] if args.rule else list(RULE_ORDER)
    rows = checked(store, config, args.year, principal, rules, args.engine, args.as_of_import)
    cities = by_city(config, rows, paid_amounts(store, config, args.year, args.engine, args.as_of_import), principal)
    names = {c.code: c.name for c in config.cities}
    if args.format == "json":
        print(to_json({"year": args.year, "as_of_import": args.as_of_import, "engine": args.engine, "rules": rules,
                       "findings": [{"rule": r.finding.rule, "key": r.finding.key, "city": r.finding.city,
                                     "city_name": names.get(r.finding.city), "person": r.finding.person,
                                     "person_name": r.finding.person_name, "amount": r.finding.amount,
                                     "evidence": list(r.finding.evidence), "status": r.status,
                                     "note": r.check.note if r.check else None} for r in rows],
                       "cities": [{"city": c.city, "city_name": c.name, "findings": c.found, "pending": c.pending,
                                   "confirmed": c.confirmed, "not_confirmed": c.not_confirmed,
                                   "improper_amount": c.improper_amount, "paid_amount": c.paid_amount,
                                   "improper_share": c.improper_share} for c in cities]}))
        return 0
    if args.format == "xlsx":
        from ..exports.findings import findings_workbook

        out = Path(args.out or f"{args.year}年规则检查.xlsx").expanduser()
        if not out.parent.is_dir():
            raise CliError(f"目录 {out.parent} 不存在", EXIT_INVALID)
        out.write_bytes(findings_workbook(rows, cities, args.year))
        print(f"已写出 {out}：{len(rows)}项发现")
        return 0
    from .. import formatting as fmt

    print(f"{args.year}年 个人记录规则检查：{'、'.join(RULES[r] for r in rules)}，共{len(rows)}项发现\n")
    print(fmt.text_table(["市州", "发现", "待核查", "属实", "不属实", "涉及金额（元）", "实发金额（元）", "违规领取金额占比"],
                         [[c.name, str(c.found), str(c.pending), str(c.confirmed), str(c.not_confirmed),
                           f"{c.improper_amount:,.2f}", f"{c.paid_amount:,.2f}",
                           "无发放" if c.improper_share is None else fmt.percent(c.improper_share, 2)] for c in cities],
                         {1, 2, 3, 4, 5, 6, 7}))
    print()
    table = [[names.get(r.finding.city, r.finding.city), RULES[r.finding.rule], r.finding.key,
              r.finding.person_name or "", f"{r.finding.amount:,.2f}", r.status, "；".join(r.finding.evidence)]
             for r in rows]
    print(fmt.text_table(["市州", "规则", "发现编号", "姓名", "涉及金额（元）", "核查结果", "核查依据"], table, {4}))
    return 0


def run_verify(context, args) -> int:
    from ..actions.finding_checks import record_outcome

    saved = record_outcome(context.store(), context.principal(), context.config(), args.year, args.finding,
                           args.outcome, args.note, engine=args.engine)
    print(f"已登记核查结果：{saved.finding} {saved.outcome}（第{saved.id}号，{saved.author}）")
    return 0


def register_posting(commands) -> None:
    posting = commands.add_parser("posting", help="公示名单：某市州某月领取失业保险金人员，每个街道社区一份PDF；"
                                                  "或各月公示覆盖率（--coverage）")
    posting.add_argument("--year", type=year_arg, required=True, help="年度")
    posting.add_argument("--month", type=month_arg, default=None, help="月份（名单为该月末在领人员）")
    posting.add_argument("--city", default=None, help="市州（代码、全称或简称）")
    posting.add_argument("--out", metavar="DIR", default=None, help="写出PDF的目录（文件名：<街道社区>.pdf）")
    posting.add_argument("--posted-on", type=date_arg, default=None, metavar="DATE",
                         help="公示张贴日期（如 2003-07-01）：写出的同时登记公示")
    posting.add_argument("--as-of-import", type=positive_int, default=None, metavar="N",
                         help="按第N次个人记录导入后的记录")
    posting.add_argument("--coverage", action="store_true",
                         help="不写名单，列出各市州各月公示覆盖率（已登记公示的街道社区的在领人数占全部在领人数）")
    posting.set_defaults(run=run_posting)


def run_posting(context, args) -> int:
    if args.coverage:
        return _coverage(context, args)
    missing = [flag for flag, value in (("--month", args.month), ("--city", args.city), ("--out", args.out))
               if value is None]
    if missing:
        raise CliError(f"缺少必需的参数：{'、'.join(missing)}（或用 --coverage 查看公示覆盖率）", EXIT_MISUSE)
    import datetime as dt

    from .. import clock, formatting as fmt
    from ..actions.postings import issue_lists
    from ..exports.fonts import FontError
    from ..exports.posting import posting_files, written_day
    from ..microdata import settings as record_settings
    from ..microdata.posting import city_code, community_lists
    from ..microdata.store import PersonStore
    from ..records.postings import checked_day

    config = context.config()
    code = city_code(config, args.city)
    lists = community_lists(PersonStore.beside(context.db_path), config, args.year, args.month, code,
                            args.as_of_import)
    name = config.city(code).name
    if not lists:
        raise CliError(f"{name}{args.year}年{args.month}月末没有领取失业保险金的人员，没有名单可公示")
    posted_on = args.posted_on.date() if isinstance(args.posted_on, dt.datetime) else args.posted_on
    if posted_on is not None:
        checked_day(args.year, args.month, posted_on)     # before the lists are drawn
    try:
        files = posting_files(lists, config, record_settings.load(config.directory).posting, posted_on,
                              posted_on or clock.today())
    except FontError as exc:
        raise CliError(str(exc)) from None
    out = Path(args.out).expanduser()
    issue_lists(context.store(), context.principal(), config, args.year, args.month, code, files, out, posted_on)
    people = sum(f.recipients for f in files)
    done = f"，已登记{written_day(posted_on)}公示" if posted_on else "（未登记公示：张贴后可用 --posted-on 登记）"
    print(f"已写出{name}{args.year}年{args.month}月失业保险金领取人员公示名单：{len(files)}个街道社区，共{people}人，"
          f"在 {out}{done}\n")
    print(fmt.text_table(["街道社区", "人数", "文件"], [[f.community, f"{f.recipients:,}", f.name] for f in files], {1}))
    return 0


def _coverage(context, args) -> int:
    from .. import formatting as fmt
    from ..assessment.posting import coverage
    from ..microdata.posting import city_code
    from ..microdata.store import PersonStore

    config = context.config()
    code = None if args.city is None else city_code(config, args.city)
    lines = coverage(PersonStore.beside(context.db_path), context.records(), config, args.year, code,
                     args.as_of_import)
    names = {c.code: c.name for c in config.cities}
    print(f"{args.year}年 公示覆盖率（已登记公示的街道社区的月末在领人数占全部月末在领人数）\n")
    rows = [[names.get(x.city, x.city), f"{x.month}月", f"{x.recipients:,}", f"{x.posted:,}",
             f"{x.posted_communities:,}/{x.communities:,}", fmt.percent(x.rate)] for x in lines]
    print(fmt.text_table(["市州", "月份", "在领人数", "已公示人数", "已公示街道社区", "公示覆盖率"], rows, {2, 3, 4, 5}))
    return 0
