"""规则核查 — the 2003 notice's rules checked on the person records (points 5, 7, 8): per city the findings, their
核查 outcomes and 违规领取金额占比; the findings with their evidence; a caseworker (市州填报 for their city, 省级审核)
records whether a finding was confirmed; the 公示 coverage of a month and each community's list as PDF; assessors
see the deduction suggested for confirmed findings. Writes go through the actions layer."""

import datetime as dt

import streamlit as st

from dashboard import frame, reads, router, suggested, widgets
from dashboard.text import md
from scorecard import clock, formatting as fmt
from scorecard import roles as access
from scorecard.actions.finding_checks import permission_for, record_outcome
from scorecard.actions.postings import post_lists
from scorecard.exports.fonts import FontError
from scorecard.assessment.person_findings import PENDING
from scorecard.data.store import StoreError
from scorecard.errors import InputError
from scorecard.microdata.checks import RULES
from scorecard.records.finding_checks import NOT_CONFIRMED, OUTCOMES

SAVED = "_person_check_saved"
STATUSES = (PENDING, *OUTCOMES)
EVERY_COMMUNITY = "全部街道社区"
NO_RECORDS = """还没有导入个人记录（失业保险金申领、发放、缴费工资、营业执照和出租车经营许可登记、出再就业服务中心计划）。
导入后，本页按通知第五、七、八条逐人检查。表头写列代码或中文列名，见使用说明“个人记录”一节。

1. 在命令行导入：
   `scorecard records import 申领.csv 发放.csv 缴费工资.csv 登记.csv 出中心.csv`
2. 只想先看看效果，生成并导入演示个人记录：
   `scorecard records demo --out 演示记录 --import`
3. 导入后刷新本页。"""


def _yuan(value: float) -> str:
    return f"{value:,.2f}元"


def city_table(cities) -> None:
    widgets.table([{
        "市州": c.name, "发现": c.found, "待核查": c.pending, "属实": c.confirmed, "不属实": c.not_confirmed,
        "涉及金额": fmt.quantity(c.improper_amount / 10000, "万元"), "实发失业保险金": fmt.quantity(c.paid_amount / 10000, "万元"),
        "违规领取金额占比": "无发放" if c.improper_share is None else fmt.percent(c.improper_share, 2),
    } for c in cities], right=("发现", "待核查", "属实", "不属实", "涉及金额", "实发失业保险金", "违规领取金额占比"))
    st.caption("违规领取金额占比 = 不符合领取条件仍发放、领取期间已就业的发现所涉发放金额（核查不属实的除外，同一笔发放只计一次）"
               " ÷ 本年度由个人记录得出的实发失业保险金。待核查的发现先计入，核查不属实后扣除。")


def findings_table(view, rows) -> None:
    names = {c.code: c.name for c in view.config.cities}
    widgets.long_table([{
        "市州": names.get(r.city, r.city), "规则": RULES[r.finding.rule], "姓名": r.finding.person_name or "—",
        "涉及金额": _yuan(r.finding.amount), "核查结果": r.status, "核查依据": "；".join(r.finding.evidence),
        "核查说明": (r.check.note or "") if r.check else "", "发现编号": r.finding.key,
    } for r in rows], key="person_findings", search=("市州", "姓名", "核查依据", "发现编号"))


def outcome_form(view, rows) -> None:
    st.subheader("登记核查结果")
    if not rows:
        st.caption("没有可以登记的发现。")
        return
    labels = [f"{r.finding.person_name or r.finding.person}，{RULES[r.finding.rule]}，{_yuan(r.finding.amount)}"
              f"（{r.status}）" for r in rows]
    with st.form("person_check"):
        chosen = st.selectbox("发现", range(len(rows)), format_func=labels.__getitem__)
        outcome = st.radio("核查结果", OUTCOMES, horizontal=True)
        note = st.text_area("核查说明（不属实的须写明核查了什么、为什么不属实）", max_chars=2000)
        sent = st.form_submit_button("保存核查结果")
    if sent:
        try:
            store = reads.writable_store(view.source, permission_for(view.principal))
            saved = record_outcome(store, view.principal, view.config, view.year, rows[chosen].finding.key, outcome,
                                   note)
        except (InputError, StoreError) as exc:
            st.error(f"未保存：{md(exc)}")
            return
        st.session_state[SAVED] = f"已登记核查结果：{labels[chosen].rsplit('（', 1)[0]} —— {saved.outcome}。"
        st.rerun()


def posting_section(view) -> None:
    st.subheader("公示（通知第八条）")
    covered = reads.posting_coverage(view.source, view.year)
    months = sorted({c.month for c in covered})
    if not months:
        st.caption(f"{view.year}年没有月末仍在领取失业保险金的人员，无需公示。")
        return
    month = st.selectbox("月份", months, index=len(months) - 1, format_func=lambda m: f"{m}月", key="posting_month")
    names = {c.code: c.name for c in view.config.cities}
    shown = [c for c in covered if c.month == month]
    widgets.table([{
        "市州": names.get(c.city, c.city), "月末领取人数": c.recipients, "已公示人数": c.posted,
        "街道社区": c.communities, "已公示街道社区": c.posted_communities, "公示覆盖率": fmt.percent(c.rate),
    } for c in shown], right=("月末领取人数", "已公示人数", "街道社区", "已公示街道社区", "公示覆盖率"))
    st.caption("公示覆盖率 = 名单已张贴公示的街道社区中月末领取人数 ÷ 全市月末领取人数。张贴后在下面登记，或用 "
               "`scorecard records posting --year 年度 --month 月份 --city 市州 --out 目录 --posted-on 张贴日期` 登记。")
    cities = [c.city for c in shown]
    city = view.principal.city if view.principal.city in cities else st.selectbox(
        "下载公示名单的市州", cities, format_func=lambda code: names.get(code, code), key="posting_city")
    lists = reads.posting_lists(view.source, view.year, month, city)
    st.markdown(f"**{md(names.get(city, city))}{view.year}年{month}月公示名单**：每个街道社区一份PDF，姓名按设置遮盖，不含身份证号。")
    offers = [(listing, reads.posting_list_download(view.source, listing)) for listing in lists]
    if offers and not offers[0][1].href:
        st.caption(md(offers[0][1].reason))
    elif offers:
        with st.expander(f"各街道社区的公示名单（{len(offers)}份）", expanded=len(offers) <= 8):
            columns = st.columns(4)
            for k, (listing, offer) in enumerate(offers):
                with columns[k % 4]:
                    widgets.download_link(f"{listing.community}（{len(listing.recipients)}人）", offer)
    if lists and (view.principal.may(access.REVIEW) or view.principal.may(access.REPORT)):
        posting_form(view, month, city, lists)


def posting_form(view, month: int, city: str, lists) -> None:
    """A list (or all of the city's month) logged as posted on a day, through the action (permission → log →
    audit); the coverage above counts it on the next run."""
    name = view.config.city(city).name
    today = clock.today()
    first, after = dt.date(view.year, month, 1), dt.date(view.year + month // 12, month % 12 + 1, 1)
    with st.form("posting_log"):
        st.markdown(f"**登记公示**：{md(name)}{view.year}年{month}月的名单张贴后，登记张贴日期（计入公示覆盖率，记入审计日志）。")
        left, right = st.columns(2)
        chosen = left.selectbox("街道社区", [EVERY_COMMUNITY, *(x.community for x in lists)], key="posting_community")
        day = right.date_input("张贴日期", value=min(today, after), min_value=first,
                               max_value=today, format="YYYY-MM-DD", key="posting_day")
        sent = st.form_submit_button("登记公示")
    if not sent:
        return
    try:
        store = reads.writable_store(view.source, permission_for(view.principal))
        with st.spinner("正在生成名单并登记……"):
            files = post_lists(store, view.principal, view.config, view.year, month, city, day,
                               None if chosen == EVERY_COMMUNITY else [chosen])
    except (InputError, StoreError, FontError, access.AccessDenied) as exc:
        st.error(f"未登记：{md(exc)}")
        return
    st.session_state[SAVED] = (f"已登记{name}{view.year}年{month}月{len(files)}个街道社区的公示名单"
                               f"（共{sum(f.recipients for f in files)}人），{day.year}年{day.month}月{day.day}日公示。")
    st.rerun()


def render(view: frame.View) -> None:
    saved = st.session_state.pop(SAVED, None)
    if saved:
        st.success(md(saved))
    widgets.heading(f"{view.year}年度个人记录规则核查")
    if not reads.person_records_present(view.source):
        st.info(NO_RECORDS)
        return
    try:
        rows = reads.person_findings(view.source, view.year)
        cities = reads.person_finding_cities(view.source, view.year, rows)
    except (InputError, StoreError) as exc:
        st.error(md(exc))
        return
    st.caption("按《通知》检查：第五条 本人申请、平等协商、自愿解除劳动关系或领取一次性安置费的人员不得领取失业保险金；"
               "第七条 出中心人员应及时纳入失业保险；第八条 领取期间连续3个月以上缴费工资不低于最低工资、"
               "或已取得营业执照、出租车经营许可的，视为已就业，应停发。")
    city_table(cities)
    widgets.download_link("下载检查结果（Excel）", reads.person_findings_download(view.source, view.year))

    st.subheader("检查发现")
    left, right = st.columns(2)
    rules = left.multiselect("规则", list(RULES), default=list(RULES), format_func=RULES.get)
    statuses = right.multiselect("核查结果", STATUSES, default=list(STATUSES))
    shown = [r for r in rows if r.finding.rule in rules and r.status in statuses]
    findings_table(view, shown)

    if view.principal.may(access.REVIEW) or view.principal.may(access.REPORT):
        outcome_form(view, shown)
        st.caption(f"核查结果记入审计日志；同一发现可再次登记，以最后一次为准。核查{NOT_CONFIRMED}的须写明理由。")
    posting_section(view)
    if view.principal.may(access.DECIDE):
        st.subheader("建议扣分")
        offered = reads.person_finding_offers(view.source, view.year, rows, cities)
        if offered:
            st.warning("**以下扣分只是建议，尚未计入得分。** 考评组如采纳，请点击“记为考评决定”。")
            suggested.show(view, offered)
        else:
            st.caption("还没有核查属实的发现，没有建议扣分。")


router.page(render, month=False)
