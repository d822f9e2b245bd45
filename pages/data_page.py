"""Data: upload an export, check and fix the column mapping, read the load report, download."""

from __future__ import annotations

import re

import streamlit as st

from ccmetrics import i18n
from ccmetrics.io import MAPPING_CHECKS
from pages import common, engine_section, people_section
from pages.common import tr

UPLOAD_TYPES = ["csv", "tsv", "txt", "gz", "zip", "xlsx", "xls", "parquet"]

ctx = common.context()
st.title(tr("data.title"))
st.write(tr("data.intro"))

# --------------------------------------------------------------------------- upload
uploaded = st.file_uploader(
    tr("data.upload"), type=UPLOAD_TYPES, help=tr("data.upload_help"), key="uploader"
)
if uploaded is not None and uploaded.file_id != st.session_state.get("_seen_file_id"):
    # a new file: load it once (later reruns see the same file_id and skip this)
    st.session_state["_seen_file_id"] = uploaded.file_id
    outcome = common.handle_upload(uploaded.name, uploaded.getvalue())
    st.session_state["_upload_error"] = None if outcome.ok else outcome.message
    # the calls are on another sheet of the workbook: offer it (the error names it)
    error = outcome.error
    params = getattr(error, "params", None) or {}
    st.session_state["_sheet_offer"] = (
        {"sheets": [str(s) for s in params["sheets"]], "suggested": str(params["suggested_sheet"])}
        if getattr(error, "code", "") == "data_on_other_sheet" and params.get("sheets")
        else None
    )
    if outcome.ok:
        st.rerun()
if uploaded is not None and st.session_state.get("_upload_error"):
    st.error(st.session_state["_upload_error"], icon=":material/error:")
    offer = st.session_state.get("_sheet_offer")
    if offer:
        st.caption(tr("data.sheet_offer"))
        with st.container(horizontal=True, vertical_alignment="bottom"):
            offered = st.selectbox(
                tr("data.sheet"),
                offer["sheets"],  # names from the file: selectbox options show as plain text
                index=offer["sheets"].index(offer["suggested"])
                if offer["suggested"] in offer["sheets"]
                else 0,
                key=f"sheet_offer_{uploaded.file_id}",
            )
            if st.button(tr("data.load_sheet"), type="primary", key="load_offered_sheet"):
                outcome = common.handle_upload(uploaded.name, uploaded.getvalue(), sheet=offered)
                if outcome.ok:
                    st.session_state["_upload_error"] = None
                    st.session_state["_sheet_offer"] = None
                    st.session_state["_flash"] = common.tr_md("data.sheet_loaded", sheet=offered)
                    st.rerun()
                st.error(outcome.message, icon=":material/error:")

flash = st.session_state.pop("_flash", None)  # a message set just before the last st.rerun()
if flash:
    st.success(flash, icon=":material/check_circle:")

# --------------------------------------------------------------------------- data on an engine
if ctx.dataset.engine is not None:
    # the data stays on the engine: no file, load report or mapping here, only its period
    engine_section.in_use(ctx)
    engine_section.open_form(ctx)
    people_section.roster_upload(ctx)
    st.stop()
engine_section.open_form(ctx)

# --------------------------------------------------------------------------- dataset in use
result = common.current_result()
dataset = ctx.dataset
if dataset.is_sample:
    st.info(tr("data.sample_in_use"), icon=":material/info:")
else:
    st.success(
        common.tr_md(
            "data.in_use",
            name=dataset.name,
            rows=common.fmt_count(len(dataset.frame)),
            kind=tr(f"kind.{dataset.kind}"),
        ),
        icon=":material/check_circle:",
    )
with st.container(horizontal=True):
    facts = {
        "data.rows": common.fmt_count(len(dataset.frame)),
        "data.kind": tr(f"kind.{dataset.kind}"),
        "data.encoding": result.encoding or tr("data.not_applicable"),
        "data.span": f"{dataset.first_day.isoformat()} – {dataset.last_day.isoformat()}",
    }
    for label_key, value in facts.items():
        st.metric(tr(label_key), value, border=True, width="content")

# --------------------------------------------------------------------------- sheet
# a workbook of several sheets: the sheet read is a choice (the loader's: the first)
upload = st.session_state.get("upload")
sheets = common.upload_sheets(upload, result) if upload else []
if len(sheets) > 1:
    current_sheet = upload.get("sheet") or sheets[0]
    chosen_sheet = st.selectbox(
        tr("data.sheet"),
        sheets,  # names from the file: selectbox options show as plain text
        index=sheets.index(current_sheet) if current_sheet in sheets else 0,
        help=tr("data.sheet_help"),
        key=f"sheet_{upload['digest']}",
    )
    failed = st.session_state.get("_sheet_failed")
    if chosen_sheet != current_sheet:
        if failed and failed[:2] == (upload["digest"], chosen_sheet):
            st.error(failed[2], icon=":material/error:")  # said once; not loaded again
        else:
            # another sheet has other columns: its mapping and kind are guessed afresh
            outcome = common.handle_upload(upload["name"], upload["data"], sheet=chosen_sheet)
            if outcome.ok:
                st.session_state["_sheet_failed"] = None
                st.session_state["_flash"] = common.tr_md("data.sheet_loaded", sheet=chosen_sheet)
                st.rerun()
            st.session_state["_sheet_failed"] = (upload["digest"], chosen_sheet, outcome.message)
            st.error(outcome.message, icon=":material/error:")


def _plain(value):
    """A value from the file shown as text: Markdown's special characters escaped."""
    return (
        re.sub(r"([\\`*_{}\[\]()#+\-.!|<>$~])", r"\\\1", value) if isinstance(value, str) else value
    )


# --------------------------------------------------------------------------- mapping checks
# a mapping that is likely wrong (one clock time for every call, >1 % of rows left out)
for check in result.problems[result.problems["code"].isin(MAPPING_CHECKS)].to_dict("records"):
    params = check["params"] if isinstance(check["params"], dict) else {}
    text = common.problem_text(
        check["code"], {k: _plain(v) for k, v in params.items()}, _plain(check["message"])
    )
    fix_key = f"data.fix.{params.get('fix')}"
    fix = tr(fix_key) if i18n.has_key(fix_key, common.lang()) else ""
    st.warning(f"**{tr('data.check_title')}** · {text} {fix}", icon=":material/warning:")

# --------------------------------------------------------------------------- mapping
upload = st.session_state.get("upload")
if upload:
    st.subheader(tr("data.mapping_title"))
    st.caption(tr("data.mapping_help"))
    kind = (
        st.segmented_control(
            tr("data.kind"),
            options=["calls", "intervals"],
            format_func=common.labeller("kind."),
            default=result.kind,
            key=f"mapping_kind_{dataset.key}",
        )
        or result.kind
    )
    editor_rows = common.mapping_rows(result, upload)
    options = common.mapping_targets(kind)
    edited = st.data_editor(
        editor_rows,
        hide_index=True,
        width="stretch",
        disabled=["source", "preview"],
        column_config={
            "source": st.column_config.TextColumn(tr("data.col_source")),
            "preview": st.column_config.TextColumn(tr("data.col_preview"), width="large"),
            "target": st.column_config.SelectboxColumn(
                tr("data.col_canonical"),
                options=options,
                format_func=common.target_labeller(),
                required=False,
            ),
        },
        key=f"mapping_editor_{dataset.key}",
    )
    apply_col, save_col, load_col = st.columns([1, 1, 2], vertical_alignment="bottom")
    with apply_col:
        if st.button(
            tr("data.apply"), type="primary", icon=":material/done_all:", key="apply_mapping"
        ):
            mapping, problem = common.mapping_from_rows(edited, result.mapping)
            if problem:
                st.error(problem, icon=":material/error:")
            else:
                outcome = common.handle_upload(upload["name"], upload["data"], mapping, kind=kind)
                if outcome.ok:
                    st.session_state["_flash"] = tr("data.mapping_applied")
                    st.rerun()
                st.error(outcome.message, icon=":material/error:")
    with save_col:
        st.download_button(
            tr("data.save_mapping"),
            data=common.mapping_json_bytes(result.mapping),
            file_name=f"{upload['name'].rsplit('.', 1)[0]}_mapping.json",
            mime="application/json",
            icon=":material/save:",
            on_click="ignore",
            key="save_mapping",
        )
    with load_col:
        mapping_file = st.file_uploader(
            tr("data.load_mapping"), type=["json"], key="mapping_uploader"
        )
        if mapping_file is not None:
            if mapping_file.file_id != st.session_state.get("_mapping_file_id"):
                st.session_state["_mapping_file_id"] = mapping_file.file_id
                outcome = common.handle_mapping_file(
                    upload, mapping_file.name, mapping_file.getvalue()
                )
                if outcome.ok:
                    st.session_state["_flash"] = tr("data.mapping_loaded", name=mapping_file.name)
                    st.rerun()
                st.error(outcome.message, icon=":material/error:")

# --------------------------------------------------------------------------- load report
st.subheader(tr("data.problems_title"))
problems = common.problems_table(result.problems)
st.caption(
    tr("data.problems_summary", rows=common.fmt_count(len(dataset.frame)), issues=len(problems))
)
accounting = result.row_accounting()  # rows in the file = loaded + left out, per reason
if accounting.file_rows is None:
    st.caption(tr("data.rows_equation_unknown", loaded=common.fmt_count(accounting.loaded)))
else:
    reasons = ", ".join(
        f"{tr(f'data.drop_reason.{code}') if i18n.has_key(f'data.drop_reason.{code}', common.lang()) else code}"
        f" {common.fmt_count(rows)}"
        for code, rows in accounting.dropped.items()
    )
    st.info(
        tr(
            "data.rows_equation",
            file_rows=common.fmt_count(accounting.file_rows),
            loaded=common.fmt_count(accounting.loaded),
            dropped=common.fmt_count(accounting.total_dropped),
            reasons=tr("data.rows_equation_reasons", reasons=reasons) if reasons else "",
        ),
        icon=":material/functions:",
    )
if problems.empty:
    st.success(tr("data.no_problems"), icon=":material/check_circle:")
else:
    st.table(common.markdown_table(problems), hide_index=True, border="horizontal")

people_section.roster_upload(ctx)

# --------------------------------------------------------------------------- downloads
st.subheader(tr("data.download_title"))
stem = "ccmetrics_sample" if dataset.is_sample else f"{dataset.name.rsplit('.', 1)[0]}_canonical"
downloads = st.container(horizontal=True)
with downloads:
    st.download_button(
        tr("data.download_csv"),
        data=lambda: common.csv_bytes(result.frame),
        file_name=f"{stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="download_canonical_csv",
    )
    st.download_button(
        tr("data.download_parquet"),
        data=lambda: common.parquet_bytes(result.frame),
        file_name=f"{stem}.parquet",
        mime="application/octet-stream",
        icon=":material/download:",
        on_click="ignore",
        key="download_canonical_parquet",
    )

with st.expander(tr("data.sample_files"), icon=":material/folder_zip:"):
    st.caption(tr("data.sample_files_help"))
    for path in common.sample_files():
        st.download_button(
            path.name,
            data=path.read_bytes,
            file_name=path.name,
            icon=":material/download:",
            on_click="ignore",
            key=f"sample_file_{path.name}",
        )
