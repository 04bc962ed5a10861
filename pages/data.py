"""数据管理 — upload monthly figures (preview, check, confirm), which reports are in, and the history."""

import streamlit as st

from dashboard import frame, reads, router, widgets
from dashboard.text import md
from scorecard import roles as access
from scorecard.actions.imports import commit_import
from scorecard import formatting as fmt
from scorecard.report import palette
from scorecard.data.intake import CHANGES, PREVIEW_COLUMNS, prepare
from scorecard.data.store import StoreError

def render(view: frame.View) -> None:
    config = view.config


    def template_download() -> None:
        with st.expander("下载月报表（填报模板）"):
            latest = view.holdings.latest.get(view.year) or 0
            columns = st.columns([1, 2])
            month = columns[0].selectbox("月份", range(1, 13), index=min(latest, 11), format_func=lambda m: f"{m}月",
                                         key="_template_month")
            mine = [c.code for c in config.cities if view.principal.may_see(c.code)]
            codes = columns[1].multiselect("市州（不选则为全部，每个市州一个工作表）", mine,
                                           format_func=lambda c: config.city(c).name, key="_template_cities")
            widgets.download_link("下载月报表", reads.template(view.source, view.year, month, codes or mine))


    def upload() -> None:
        """Check a file without writing, show what it holds and would change, and import it on confirmation."""
        st.subheader("导入月度数据")
        if "_import_done" in st.session_state:
            st.success(md(st.session_state.pop("_import_done")))
        template_download()
        if not view.principal.may(access.IMPORT):
            st.caption("导入数据需要省级审核角色（或数据管理员账号）；市州可下载月报表，填好后报送省里导入。")
            return
        store = reads.writable_store(view.source, access.IMPORT)
        uploaded = st.file_uploader("选择文件：长格式或宽格式的CSV/xlsx，或填好的月报表。每个文件全部导入或全部不导入。",
                                    type=["csv", "txt", "xlsx", "xlsm"], key=f"_upload_{st.session_state.get('_round', 0)}")
        if uploaded is None:
            return
        key = (uploaded.file_id, view.source.db_stamp)  # checked again when the database has changed meanwhile
        if st.session_state.get("_prepared", (None,))[0] != key:
            with st.spinner(f"正在检查 {md(uploaded.name)}……"):
                try:
                    st.session_state["_prepared"] = (key, prepare(config, store, uploaded.getvalue(),
                                                                  file_name=uploaded.name))
                except StoreError as exc:  # e.g. no room in the temporary folder
                    st.error(md(exc))
                    return
        prepared = st.session_state["_prepared"][1]
        if not prepared.ok:
            st.error(md(prepared.summary()) + "。请修改后重新选择文件；数据库没有任何改动。")
            widgets.table([{"行": p.line or "—", "问题": p.message} for p in prepared.problems])
            if prepared.problem_count > len(prepared.problems):
                st.caption(f"只列出前{len(prepared.problems)}处，共{prepared.problem_count}处。")
            return
        st.info(md(prepared.summary()))
        preview = prepared.preview(limit=1000)
        preview["change"] = preview["change"].map(CHANGES)
        for column in ("value", "old_value"):  # in the measure's unit: 3,100人, 1,200.50万元
            preview[column] = [fmt.quantity(v, unit) if v == v and v is not None else "—"
                               for v, unit in zip(preview[column], preview["unit"])]
        shown = preview.rename(columns=PREVIEW_COLUMNS).drop(columns=["市州代码", "统计项代码", "单位"])
        st.dataframe(shown, hide_index=True, height=widgets.grid_height(len(shown), 300))
        if prepared.rows > len(preview):
            st.caption(f"预览前{len(preview):,}行，共{prepared.rows:,}行。")
        if not prepared.new and not prepared.replaced:
            st.success("文件中的数据与数据库完全相同，无需导入。")
            return
        if st.button(f"确认导入（新增{prepared.new:,}条，替换{prepared.replaced:,}条）", type="primary"):
            with st.status("正在导入……", expanded=True) as status:
                try:
                    result = commit_import(prepared, view.principal,
                                           on_wait=lambda message: status.update(label=md(message)))
                except StoreError as exc:
                    status.update(label="导入没有完成", state="error", expanded=True)
                    st.error(f"{md(exc)}。可稍后再点“确认导入”重试。")
                    return
            prepared.discard()
            st.session_state.pop("_prepared", None)
            st.session_state["_round"] = st.session_state.get("_round", 0) + 1  # a fresh, empty uploader
            st.session_state["_import_done"] = result.summary()
            st.rerun()


    def completeness() -> None:
        through = view.holdings.latest[view.year]
        reports = reads.completeness(view.source, view.year, through)
        widgets.heading(f"{view.year}年1至{through}月报送情况", demo=view.holdings.demo)
        complete = sum(r.complete for r in reports)
        absent = [r for r in reports if not r.reported]
        widgets.kpi_row([
            ("应报市州·月", f"{len(reports)}个"),
            ("完整", f"{complete}个"),
            ("部分缺项", f"{sum(r.reported and not r.complete for r in reports)}个"),
            ("未报送", f"{len(absent)}个"),
        ])
        units = {r.city for r in reports}       # the units the user may see: their own city for a 市州 user
        many = len(units) > widgets.DETAIL_MAX
        if many:  # a national roll-up: the matrix of the units that have something to chase
            chase = {r.city for r in reports if not r.complete}
            reports_shown = [r for r in reports if r.city in chase]
            if not chase:
                st.success(f"全部{len(units)}个单位1至{through}月的报表都已完整报送。")
            else:
                st.caption(f"以下为有缺报的{len(chase)}个单位；其余{len(units) - len(chase)}个单位的报表完整。")
        else:
            reports_shown = reports
        by_city: dict[str, dict] = {}
        colors: dict[str, list] = {}
        for r in reports_shown:
            row = by_city.setdefault(r.city, {"市州": config.city(r.city).name, **({"代码": r.city} if many else {})})
            row[f"{r.month}月"] = "完整" if r.complete else (f"缺{len(r.missing)}项" if r.reported else "未报送")
            colors.setdefault(f"{r.month}月", []).append(  # only what needs chasing is coloured
                None if r.complete else (palette.AMBER_COLOR if r.reported else palette.CRIMSON))
        if len(by_city) > widgets.DETAIL_MAX:
            widgets.long_table(list(by_city.values()), key="matrix", search=("市州", "代码"))
        elif by_city:
            widgets.table(list(by_city.values()), colors=colors)
        st.caption("只列影响评分和基金预警的统计项：各市州目标责任书所用的统计项，以及基金收入、支出和累计结余。")
        st.subheader("缺报明细")
        missing = [{
            "市州": config.city(r.city).name, "代码": r.city, "月份": f"{r.month}月",
            "缺少的统计项": "全部未报送" if not r.reported else "、".join(config.measures[m].name for m in r.missing),
        } for r in reports if not r.complete]
        if many and len(missing) > widgets.DETAIL_MAX:
            widgets.long_table(missing, key="missing", search=("市州", "代码", "缺少的统计项"))
        else:
            widgets.table([{k: v for k, v in row.items() if k != "代码"} for row in missing])


    def history() -> None:
        if view.principal.all_cities:  # an import file holds every city's figures
            imports()
        revisions = reads.revisions(view.source, view.year)
        st.subheader(f"{view.year}年数据修订记录")
        if not revisions:
            st.caption("没有被替换过的数据。")
            return
        widgets.table([{
            "市州": config.city(r.city).name, "月份": f"{r.month}月", "统计项": config.measures[r.measure].name,
            "原值": fmt.quantity(r.old_value, config.measures[r.measure].unit),
            "新值": fmt.quantity(r.new_value, config.measures[r.measure].unit),
            "原值来源": f"第{r.old_import_id}次导入 {r.old_file or ''}",
            "修订": f"第{r.new_import_id}次导入 {r.new_file or ''}",
            "修订时间": f"{r.new_imported_at:%Y-%m-%d %H:%M}" if r.new_imported_at else "—",
            "导入人": r.new_imported_by or "—",
        } for r in revisions], right=("原值", "新值"))
        st.caption("命令行 `scorecard score … --as-of-import N` 可按某次导入时的数据重现评分。")


    def imports() -> None:
        st.subheader("导入记录")
        widgets.table([{
            "导入编号": r.import_id, "文件": r.file_name, "导入时间": f"{r.imported_at:%Y-%m-%d %H:%M}",
            "导入人": r.imported_by or "—", "行数": f"{r.rows:,}", "新增": f"{r.new:,}", "替换": f"{r.replaced:,}",
            "未变": f"{r.unchanged:,}", "原文件": "已保存" if r.original else "—",
        } for r in reads.imports(view.source)], right=("行数", "新增", "替换", "未变"))


    upload()
    if view.holdings.empty:
        st.info(f"数据库中还没有任何月度数据。可在上方直接选择文件导入，也可以用命令行：\n\n"
                f"{frame.import_help(view.source.db_path)}")
        return
    if not view.holdings.latest.get(view.year):
        st.info(f"{view.year}年还没有任何月度数据。")
        return
    completeness()
    history()


router.page(render, month=False, needs_data=False)
