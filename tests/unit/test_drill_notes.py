"""The notes of a drill-down explanation read back as codes (``drill.note_code``).

The notes are the ones ccmetrics.drill writes: those of the dimension choice on small frames
built by hand, and the variance notes from their templates.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from ccmetrics import drill
from ccmetrics.drill import notes
from ccmetrics.drill.frames import _choose_dims


def test_docstring_examples():
    result = doctest.testmod(notes)
    assert result.attempted >= 3 and result.failed == 0


def _calls() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "arrived_at": pd.date_range("2025-03-03 09:00", periods=6, freq="5min"),
            "answered": [True, True, False, False, True, True],
            "category": ["Billing", "Data", "Billing", "Data", "Data", "Billing"],
            "segment": ["Prepaid"] * 6,  # one value only
            "channel": [np.nan] * 6,  # no values
            # the agent of a call is known only when it was answered
            "agent": ["A", "B", np.nan, np.nan, "A", "B"],
            "queue": ["Q1", "Q2", "Q1", "Q2", "Q1", "Q2"],
        }
    )


def test_the_notes_of_left_out_dimensions_name_the_reason_and_the_dimension():
    calls = _calls()
    dims = ["category", "segment", "channel", "agent", "queue"]
    chosen, written = _choose_dims(calls, calls, dims, "service_level", None)
    assert set(chosen) == {"category", "queue"}
    assert [drill.note_code(note) for note in written] == [
        ("left_out_one_value", "segment"),
        ("left_out_no_values", "channel"),
        ("left_out_answered_only", "agent"),
    ]
    # without dimensions asked for, a column without values is skipped silently
    _, default_notes = _choose_dims(calls, calls, None, "service_level", None)
    assert ("left_out_no_values", "channel") not in [drill.note_code(n) for n in default_notes]


def test_the_variance_notes_and_notes_of_another_kind():
    assert drill.note_code(notes.CSAT_BOUND_NOTE) == ("csat_variance_bound", None)
    assert drill.note_code(notes.assumed_cv_note("asa_s")) == ("assumed_cv", None)
    assert "asa_s" in notes.assumed_cv_note("asa_s")
    assert drill.note_code("queue left out: a reason not known yet") == (None, None)
    assert drill.note_code("a note of a new kind") == (None, None)
    assert set(drill.NOTE_CODES) == {
        "left_out_answered_only",
        "left_out_one_value",
        "left_out_no_values",
        "csat_variance_bound",
        "assumed_cv",
    }
    with pytest.raises(ValueError, match="unknown reason"):
        notes.left_out_note("queue", "a reason not known yet")
