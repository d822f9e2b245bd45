"""Legacy text encodings: which one a non-UTF-8 export is in, and files that mix two.

Bytes of one East Asian encoding are often valid in another: Big5, Shift-JIS
and EUC-KR text all decode without error as GB18030, into the wrong characters.
:func:`legacy_encoding` decodes a sample with each candidate and keeps the one
whose characters are plausible for it (:func:`implausibility`): the common
characters of its own character set (GB2312 for GB18030, Big5 level 1,
JIS X 0208 level 1, Hangul for EUC-KR), accented letters beside ASCII letters
for cp1252. When two candidates fit about as well, the result says so
(``doubt``), with the characters in question.
"""

from __future__ import annotations

__all__: list[str] = []

#: Candidate encodings, in the order that wins a tie (Chinese exports first).
CANDIDATES = ("gb18030", "big5", "shift_jis", "euc_kr", "cp1252")

#: Bytes of a file looked at to choose an encoding.
SAMPLE_BYTES = 1 << 20

_CP1252_PUNCTUATION = set("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u20ac\u00a0\u00b0\u00b7")
#: cp1252 characters of 0x80-0x9F that hardly occur in names and labels (a
#: Shift-JIS lead byte 0x83 reads as "ƒ").
_CP1252_RARE = set("ƒ„†‡ˆ‰‹›˜•™")


def _is_han(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or code >= 0x20000
    )


def _common_han(ch: str, encoding: str) -> bool:
    """True when a Han character is in the common part of ``encoding``'s set."""
    try:
        if encoding == "gb18030":
            ch.encode("gb2312")
            return True
        if encoding == "big5":
            raw = ch.encode("big5")
            return len(raw) == 2 and 0xA440 <= int.from_bytes(raw, "big") <= 0xC67E
        if encoding == "shift_jis":
            raw = ch.encode("shift_jis")
            return len(raw) == 2 and 0x889F <= int.from_bytes(raw, "big") <= 0x9872
    except UnicodeEncodeError:
        return False
    return False  # euc_kr: Hanja are rare in Korean text


def implausibility(text: str, encoding: str) -> tuple[float, int, set]:
    """Share of the non-ASCII characters of ``text`` that are implausible when the
    bytes are in ``encoding``; the number of non-ASCII characters; the doubtful ones.

    Notes
    -----
    Each non-ASCII character weighs 1 when implausible: private-use or control
    characters; a Han character outside the common part of the encoding's set
    (any Han character for EUC-KR); kana, Greek or Cyrillic decoded from a
    Chinese or Korean set; a Latin letter decoded from an East Asian set; for
    cp1252 a symbol, or a letter with non-ASCII neighbours on both sides (0.5
    for one side: accents sit between ASCII letters in Western names).
    Half-width katakana weigh 0.5.
    """
    weight = 0.0
    count = 0
    doubtful: set = set()
    east_asian = encoding != "cp1252"
    for i, ch in enumerate(text):
        code = ord(ch)
        if code < 128:
            continue
        count += 1
        bad = 0.0
        if 0xE000 <= code <= 0xF8FF or 0x80 <= code <= 0x9F or ch == "\ufffd":
            bad = 1.0
        elif _is_han(code):
            bad = 0.0 if _common_han(ch, encoding) else 1.0
        elif 0xAC00 <= code <= 0xD7A3:
            bad = 0.0 if encoding == "euc_kr" else 1.0
        elif 0x3040 <= code <= 0x30FF:
            bad = 0.0 if encoding == "shift_jis" else 1.0
        elif 0xFF61 <= code <= 0xFF9F:
            bad = 0.5
        elif 0x0370 <= code <= 0x04FF:
            bad = 1.0
        elif 0x2500 <= code <= 0x257F:
            bad = 1.0
        elif code <= 0x024F and east_asian:
            bad = 1.0
        elif not east_asian:
            if ch in _CP1252_PUNCTUATION:
                bad = 0.0
            elif ch in _CP1252_RARE or not ch.isalpha():
                bad = 1.0
            else:
                before = text[i - 1] if i > 0 else " "
                after = text[i + 1] if i + 1 < len(text) else " "
                foreign = (ord(before) >= 128) + (ord(after) >= 128)
                bad = 0.5 * foreign
        if bad:
            weight += bad
            doubtful.add(ch)
    return (weight / count if count else 0.0), count, doubtful


def legacy_encoding(data) -> tuple[str | None, str | None, list[str]]:
    """The encoding of non-UTF-8 bytes among :data:`CANDIDATES`.

    Returns ``(encoding, alternative, doubtful_characters)``: ``alternative`` is
    another encoding that fits about as well (None when the choice is clear).
    ``encoding`` is None when no candidate decodes the sample.
    """
    sample = bytes(data[:SAMPLE_BYTES])
    if len(data) > SAMPLE_BYTES:
        cut = sample.rfind(b"\n")
        sample = sample[: cut + 1] if cut > 0 else sample
    scored = []
    for rank, encoding in enumerate(CANDIDATES):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        share, count, doubtful = implausibility(text, encoding)
        if encoding == "euc_kr" and share == 0.0 and any(0xAC00 <= ord(c) <= 0xD7A3 for c in text):
            rank = -1  # Hangul and no Hanja: Korean, whatever GB18030 makes of it
        scored.append((share, rank, encoding, doubtful, text))
    if not scored:
        return None, None, []
    scored.sort(key=lambda s: (s[0], s[1]))
    best = scored[0]
    alternative = None
    if len(scored) > 1 and scored[1][0] - best[0] < 0.1:
        alternative = scored[1][2]
    doubtful = sorted(best[3])
    if alternative is not None and not doubtful:
        # the characters read differently under the alternative
        other = scored[1][4]
        doubtful = sorted({c for c in best[4] if ord(c) >= 128} - set(other))
    return best[2], alternative, doubtful[:20]


def mixed_utf8(data, fallback: str) -> tuple[bytes, list[int]]:
    """UTF-8 text in which some lines are in ``fallback``: every line as UTF-8.

    Returns the text as UTF-8 bytes and the 1-based numbers of the lines that
    were decoded with ``fallback``.
    """
    lines = bytes(data).split(b"\n")
    out = []
    fallen: list[int] = []
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
            out.append(line)
        except UnicodeDecodeError:
            out.append(line.decode(fallback, errors="replace").encode("utf-8"))
            fallen.append(number)
    return b"\n".join(out), fallen


def utf8_evidence(data) -> bool:
    """True when the text was meant as UTF-8 with some lines in another encoding.

    Bytes of a legacy encoding are valid UTF-8 by chance now and then (GBK's
    通, CD A8, reads as U+0368), so a few valid bytes before the first invalid
    one prove nothing. Over the lines holding non-ASCII bytes (first 8 MiB):
    the text counts as UTF-8 when at least as many of them decode as UTF-8 as
    do not, or when at least two whole lines decode as UTF-8 with characters of
    three bytes or more (every CJK character in UTF-8; a chance run of legacy
    pairs rarely forms one, let alone a whole line of them).
    """
    raw = bytes(data[: 8 << 20])
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    valid = invalid = wide = 0
    for line in raw.split(b"\n"):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            invalid += 1
            continue
        valid += 1
        wide += any(ord(char) >= 0x800 for char in text)
    return valid > 0 and (valid >= invalid or wide >= 2)
