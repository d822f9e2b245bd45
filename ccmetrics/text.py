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

__all__ = ["escape_markdown", "MARKDOWN_PUNCTUATION", "WORD_JOINER"]

#: ASCII punctuation that starts Markdown anywhere in a line: escapes, code,
#: emphasis, links and images (``[``), HTML and autolinks (``<``), Streamlit's
#: ``$`` LaTeX, strikethrough and table cells. A backslash before each makes it
#: a literal character (CommonMark 2.4). Other punctuation (``.``, ``(``, ``!``,
#: ``/``, ``>``, ...) means nothing once these are escaped and is left as it is, so
#: a plain name or sentence reads the same in the Markdown source.
MARKDOWN_PUNCTUATION = frozenset("\\`*_[]<$~|")

#: A colon that could start a Streamlit directive (``:red[``), icon
#: (``:material/``) or emoji short code (``:smile:``), or end a URL scheme
#: (``https:``): one followed by an ASCII letter, ``_``, ``+``, ``-`` or ``/``. A colon
#: before a digit (``10:30``) is kept: no directive name starts with a digit.
_ACTIVE_COLON = re.compile(r":(?=[A-Za-z_+/-])")

#: An ampersand that starts a character reference (``&lt;``, ``&#58;``).
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")

#: Block markers that count only at the start of a line: a value put there could
#: become a heading, a list item, a quote or a rule (``# x``, ``- x``, ``+ x``, ``> x``, ``---``,
#: ``1. x``, ``1) x``) or, indented, a code block. ``12.5`` or ``#3`` are no marker.
_LINE_START = re.compile(r"^( *)(#{1,6}(?= |$)|[-+](?= |$)|-(?=-)|>|\d{1,9}[.)](?= |$))")

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
        The text with every character of :data:`MARKDOWN_PUNCTUATION` preceded by
        a backslash, a colon before a letter or ``/`` written ``&#58;``, an
        ampersand that would start a character reference written ``&#38;``, a
        block marker at its start escaped (``1\\.``, ``\\#``), a leading space
        written ``&#32;``, every run of line breaks or control characters replaced
        by one space, and a :data:`WORD_JOINER` after ``scheme:``, ``www`` and
        ``@``. Rendered as Markdown it shows the original text (line breaks as
        spaces); a plain name or sentence comes back unchanged.

    Notes
    -----
    A backslash before ASCII punctuation is a literal character in CommonMark
    (spec 2.4), so ``\\*\\*b\\*\\*`` renders ``**b**``, ``!\\[x\\](u)`` renders the
    text of the image reference (no ``[``, no link or image), and ``\\$x\\$`` is
    no formula (Streamlit's math detection skips escaped dollars). The colon is written as a character
    reference because Streamlit rewrites ``:material/`` in the source before
    parsing (a backslash would not stop that, and the text would show
    ``:material_``), parses ``:name[...]`` directives (``:red[x]``) and turns
    ``:name:`` emoji short codes of the source into pictures; with no such colon
    in the source none of them starts, and ``&#58;`` renders ``:``. A URL from
    the data then also loses its ``scheme:``. A colon before a space ("Note: x")
    starts nothing and is kept.

    Streamlit also turns bare ``http://...``, ``www.`` and e-mail addresses into
    links after parsing, in the text itself (GFM autolink literals, which no
    escape stops): an invisible word joiner after ``scheme:``, ``www`` and ``@``
    breaks those patterns without changing what a reader sees.
    """
    if value is None:
        return ""
    text = _AUTOLINK_POINTS.sub(WORD_JOINER, _CONTROL.sub(" ", str(value)))
    text = _ENTITY.sub("&#38;", text)  # an ampersand as a reference cannot start another one
    text = "".join("\\" + char if char in MARKDOWN_PUNCTUATION else char for char in text)
    escaped = _ACTIVE_COLON.sub("&#58;", text)
    marker = _LINE_START.match(escaped)
    if marker:  # "1. x" -> "1\. x", "# x" -> "\# x"
        spaces, token = marker.groups()
        escaped = spaces + token[:-1] + "\\" + token[-1] + escaped[marker.end() :]
    if escaped.startswith(" "):  # leading spaces as a reference: never an indented code block
        escaped = "&#32;" + escaped[1:]
    return escaped
