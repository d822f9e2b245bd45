"""The notes of an explanation as codes: which choice the data forced, and on which dimension.

:attr:`ccmetrics.drill.Explanation.notes` are short English sentences (the CLI and the
logs print them). :func:`note_code` reads one back as a code and the dimension it is
about, so the app says it in its own language; the sentences are written from the
templates here, so the two cannot drift apart.
"""

from __future__ import annotations

__all__ = [
    "NOTE_CODES",
    "LEFT_OUT_CODES",
    "left_out_note",
    "CSAT_BOUND_NOTE",
    "assumed_cv_note",
    "note_code",
]

#: Between a dimension and the reason it was left out of the explanation.
_LEFT_OUT = " left out: "
#: How each reason a dimension is left out starts -> its code.
LEFT_OUT_CODES = {
    "known only for answered calls": "left_out_answered_only",
    "one value only": "left_out_one_value",
    "no values": "left_out_no_values",
}
#: The variance of CSAT bounded without per-call ratings (Bhatia-Davis on a 1-5 scale).
CSAT_BOUND_NOTE = "no per-call ratings: the CSAT variance is its Bhatia-Davis bound (5 − m)(m − 1)"
_ASSUMED_CV_START = "no sums of squares"
_ASSUMED_CV_NOTE = (
    _ASSUMED_CV_START + ": the {metric} variance assumes a coefficient of variation of 1"
)
#: Every code :func:`note_code` returns (besides None for a note of another kind).
NOTE_CODES = (*LEFT_OUT_CODES.values(), "csat_variance_bound", "assumed_cv")


def left_out_note(dim: str, reason: str) -> str:
    """The note of a dimension left out: ``"segment left out: one value only in these windows"``.

    ``reason`` must start with a key of :data:`LEFT_OUT_CODES`.
    """
    if not any(reason.startswith(start) for start in LEFT_OUT_CODES):
        raise ValueError(f"unknown reason for leaving {dim} out: {reason!r}")
    return f"{dim}{_LEFT_OUT}{reason}"


def assumed_cv_note(metric: str) -> str:
    """The note of a mean whose variance assumes a coefficient of variation of 1."""
    return _ASSUMED_CV_NOTE.format(metric=metric)


def note_code(note: str) -> tuple[str | None, str | None]:
    """The code of a note of an explanation, and the dimension it is about.

    Parameters
    ----------
    note : str
        One of ``Explanation.notes``.

    Returns
    -------
    code : str or None
        A code of :data:`NOTE_CODES`: ``left_out_answered_only``,
        ``left_out_one_value``, ``left_out_no_values`` (a dimension left out, and why),
        ``csat_variance_bound``, ``assumed_cv`` (the variance of a mean was assumed);
        None for a note of another kind.
    dim : str or None
        The dimension a ``left_out_*`` note is about; None otherwise.

    Examples
    --------
    >>> note_code("segment left out: one value only in these windows")
    ('left_out_one_value', 'segment')
    >>> note_code(assumed_cv_note("aht_s"))
    ('assumed_cv', None)
    >>> note_code("something new")
    (None, None)
    """
    if _LEFT_OUT in note:
        dim, _, reason = note.partition(_LEFT_OUT)
        for start, code in LEFT_OUT_CODES.items():
            if reason.startswith(start):
                return code, dim
        return None, None
    if note == CSAT_BOUND_NOTE:
        return "csat_variance_bound", None
    if note.startswith(_ASSUMED_CV_START):
        return "assumed_cv", None
    return None, None
