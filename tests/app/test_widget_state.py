"""A page widget's value kept in the URL: ``pages.common.state.restore`` / ``remember``.

A tiny script (no dataset) draws one selectbox and one number input the way the pages
do: restore before the widget, remember after it.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from pages.common import state

    state.restore("pick", "pk", ["a", "b", "c"], "a")
    picked = st.selectbox("Pick", ["a", "b", "c"], key="pick")
    state.remember("pk", picked, "a")

    def positive(value):
        return isinstance(value, int) and value > 0

    def whole(text):
        return int(text) if text.isdigit() else None

    state.restore("size", "sz", positive, 5, parse=whole)
    size = st.number_input("Size", min_value=0, step=1, key="size")
    state.remember("sz", size, 5)
    st.write(state.url_choice("pk", ["b", "c"], "none"))


def _app(**params) -> AppTest:
    app = AppTest.from_function(_script, default_timeout=30)
    app.session_state["_page_params"] = dict(params)
    return app.run()


def test_without_url_state_the_defaults_show_and_the_url_stays_clean():
    app = _app()
    assert not app.exception
    assert app.selectbox(key="pick").value == "a"
    assert app.number_input(key="size").value == 5
    assert app.session_state["_page_params"] == {}
    assert "pk" not in app.query_params and "sz" not in app.query_params
    assert app.markdown[-1].value == "none"  # "a" is not among url_choice's options


def test_the_urls_value_is_restored_when_valid():
    app = _app(pk="b", sz="12")
    assert app.selectbox(key="pick").value == "b"
    assert app.number_input(key="size").value == 12
    assert app.markdown[-1].value == "b"


def test_an_invalid_url_value_falls_back_to_the_default():
    app = _app(pk="z", sz="0")  # "z" is no option; 0 is refused by the predicate
    assert app.selectbox(key="pick").value == "a"
    assert app.number_input(key="size").value == 5
    app = _app(sz="many")  # not parsed
    assert app.number_input(key="size").value == 5


def test_a_choice_is_mirrored_in_the_url_and_the_default_removes_it():
    app = _app()
    app.selectbox(key="pick").set_value("c").run()
    assert app.query_params["pk"] == "c" and app.session_state["_page_params"] == {"pk": "c"}
    app.number_input(key="size").set_value(9).run()
    assert app.query_params["sz"] == "9"
    # the widget keeps its own value on the next run, whatever the URL held
    assert app.run().selectbox(key="pick").value == "c"
    app.selectbox(key="pick").set_value("a").run()
    assert "pk" not in app.query_params and "pk" not in app.session_state["_page_params"]
