"""Text from a file shown as text: escaping for Streamlit's Markdown.

Streamlit renders Markdown in ``st.markdown``, ``st.caption``, the alert boxes
(``st.info``/``warning``/``error``/``success``), ``st.table`` cells, widget
labels, help texts, tab and expander names. A name read from a file (agent,
team, category, queue, file or column name, a note, a problem message) must
show there as the characters it holds: ``**b**`` shows two stars, an image
reference is not fetched, a link is not clickable, ``$x$`` is not a formula.

This module never imports streamlit; pages call :func:`escape_markdown` on every
data-derived value they put into a Markdown string.
"""

from __future__ import annotations

import re
import string

__all__ = ["escape_markdown", "MARKDOWN_PUNCTUATION", "WORD_JOINER"]

#: ASCII punctuation CommonMark lets a backslash escape: escaping every one of
#: them turns off emphasis, code, links, images, HTML, headings, lists, tables,
#: strikethrough and Streamlit's ``$`` LaTeX. The colon is written as the
#: character reference ``&#58;`` instead (see :func:`escape_markdown`).
MARKDOWN_PUNCTUATION = frozenset(string.punctuation) - {":"}

#: Line breaks and other control characters: a value stays on its line (a newline
#: would start a new block, e.g. a heading or a fenced code block).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")

#: An invisible character that joins the letters around it (U+2060). Put where a
#: bare URL or e-mail address would start, it keeps them from becoming links.
WORD_JOINER = "\u2060"

#: Where GFM's autolink literals start: ``scheme://``, ``www.`` and the ``@`` of an
#: e-mail address (the points a word joiner is put at).
_AUTOLINK_POINTS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def escape_markdown(value) -> str:
    """The text of ``value`` escaped so that Streamlit's Markdown shows it literally.

    Parameters
    ----------
    value : object
        Any value; ``None`` gives ``""``, anything else its ``str``.

    Returns
    -------
    str
        The text with every ASCII punctuation character but the colon preceded
        by a backslash, every colon written ``&#58;``, and every run of line
        breaks or control characters replaced by one space, and a
        :data:`WORD_JOINER` after ``scheme:``, ``www`` and ``@``. Rendered as
        Markdown it shows the original text (line breaks as spaces).

    Notes
    -----
    A backslash before ASCII punctuation is a literal character in CommonMark
    (spec 2.4), so ``\\*\\*b\\*\\*`` renders ``**b**``, ``\\!\\[x\\]\\(u\\)`` renders
    the text of the image reference, and ``\\$x\\$`` is no formula (Streamlit's
    math detection skips escaped dollars). The colon is written as a character
    reference because Streamlit rewrites ``:material/`` in the source before
    parsing (a backslash would not stop that, and the text would show
    ``:material_``), parses ``:name[...]`` directives (``:red[x]``) and turns
    ``:name:`` emoji short codes of the source into pictures; with no colon in
    the source none of them starts, and ``&#58;`` renders ``:``. A URL from the
    data then also loses its ``scheme:``.

    Streamlit also turns bare ``http://...``, ``www.`` and e-mail addresses into
    links after parsing, in the text itself (GFM autolink literals, which no
    escape stops): an invisible word joiner after ``scheme:``, ``www`` and ``@``
    breaks those patterns without changing what a reader sees.
    """
    if value is None:
        return ""
    text = _AUTOLINK_POINTS.sub(WORD_JOINER, _CONTROL.sub(" ", str(value)))
    return "".join(
        "&#58;" if char == ":" else ("\\" + char if char in MARKDOWN_PUNCTUATION else char)
        for char in text
    )
