"""AppTest of the Data page's row accounting and mapping checks, in English and Chinese.

The upload below has 3 data rows, one of them a phantom call (counted by hand):
3 rows in the file = 2 loaded + 1 left out. Its only date column has no time
of day, so the page must flag the mapping first.
"""

from __future__ import annotations

import pytest

from ccmetrics import i18n

EXPORT = (
    b"call_id,date,wait_s,outcome\n"
    b"1,2024-05-06,3,answered\n"
    b"2,2024-05-06,4,abandoned\n"
    b"3,2024-05-07,5,phantom\n"
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_data_page_shows_the_row_equation_and_flags_the_mapping_first(app, lang):
    app.query_params["lang"] = lang
    app.run()
    app.switch_page("pages/data_page.py").run()
    app.file_uploader(key="uploader").set_value(("export.csv", EXPORT, "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    reasons = i18n.t(
        "data.rows_equation_reasons",
        lang,
        reasons=f"{i18n.t('data.drop_reason.phantom_call', lang)} 1",
    )
    equation = i18n.t(
        "data.rows_equation", lang, file_rows="3", loaded="2", dropped="1", reasons=reasons
    )
    assert equation in [box.value for box in app.info]
    warnings = [box.value for box in app.warning]
    title = f"**{i18n.t('data.check_title', lang)}**"
    flagged = [w for w in warnings if w.startswith(title)]
    assert len(flagged) == 2  # one clock time for every call; 1 of 3 rows left out
    assert i18n.t("data.fix.map_date_and_time", lang) in flagged[0]
    assert i18n.t("data.fix.expected_phantoms", lang) in flagged[1]
    # the checks come before anything else the page warns about
    assert warnings[: len(flagged)] == flagged
