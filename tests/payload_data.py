"""A data set whose names are Markdown and HTML payloads (the bundled sample, renamed).

Used by the AppTests of ``tests/app/test_markup.py`` and the browser test
``tests/browser/test_markup.py``: every queue, team, category, segment and a few
agents carry a payload, and so does the file name. A page that puts one of these
into Markdown without :func:`ccmetrics.text.escape_markdown` shows bold text, an
image fetched from a host named in the data, a link, a formula or a coloured word.
"""

from __future__ import annotations

import hashlib
import io as bytes_io

import pandas as pd

#: Names that are Markdown, HTML, LaTeX or Streamlit directives when not escaped.
PAYLOADS = (
    "**b**",
    "![x](http://127.0.0.1:9/p.png)",
    "[l](https://e.example)",
    "<img src=x onerror=alert(1)>",
    "$x$",
    "```\nfence\n```",
    ":red[x]",
    ":material/home:",
)
#: Hosts named in the payloads: the page must send no request to them.
PAYLOAD_HOSTS = ("127.0.0.1:9", "e.example")
#: The upload's file name, a link itself.
FILE_NAME = "[f](https://e.example).parquet"


def _rename(values: pd.Series, names: list[str]) -> pd.Series:
    """Map the sorted distinct values of ``values`` onto ``names`` (cycled, made unique)."""
    distinct = sorted(values.dropna().astype(str).unique())
    mapping = {}
    for i, value in enumerate(distinct):
        name = names[i % len(names)]
        mapping[value] = name if i < len(names) else f"{name} {i}"
    return values.astype(str).map(mapping).where(values.notna())


def payload_calls(sample_calls: pd.DataFrame) -> pd.DataFrame:
    """The sample with payload names for queues, teams, categories, segments and agents.

    Teams take the payloads in order (8 teams, 8 payloads); categories and segments
    start at other payloads so every payload also shows in a category or segment;
    queues take three; the first agent of each team is renamed to the team's payload
    plus its id, the others keep their ids.
    """
    calls = sample_calls.copy()
    payloads = list(PAYLOADS)
    calls["team"] = _rename(calls["team"], payloads)
    calls["category"] = _rename(calls["category"], payloads[3:] + payloads[:3])
    calls["segment"] = _rename(calls["segment"], payloads[5:])
    calls["queue"] = _rename(calls["queue"], [payloads[1], payloads[0], payloads[6]])
    agents = calls["agent"].astype(str)
    first_agents = calls.groupby("team", observed=True)["agent"].first().astype(str)
    renamed = {agent: f"{team} {agent}" for team, agent in first_agents.items()}
    calls["agent"] = agents.map(lambda a: renamed.get(a, a)).where(calls["agent"].notna())
    for column in ("team", "category", "segment", "queue", "agent"):
        calls[column] = calls[column].astype("category")
    return calls


def payload_upload(sample_calls: pd.DataFrame) -> dict:
    """The ``session_state["upload"]`` of the payload data set (as the Data page sets it)."""
    buffer = bytes_io.BytesIO()
    payload_calls(sample_calls).to_parquet(buffer, index=False)
    data = buffer.getvalue()
    return {
        "name": FILE_NAME,
        "digest": hashlib.sha256(data).hexdigest(),
        "data": data,
        "mapping": None,
        "kind": None,
    }
