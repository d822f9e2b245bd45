"""Every user-visible string of ccmetrics lives in the translation tables.

The tables are ``ccmetrics/i18n.py`` (EN/ZH) and ``ccmetrics/locales/*.py``; the rest of
``ccmetrics/`` returns codes and numbers, and the text is looked up with ``i18n.t``. This
test reads every other ``ccmetrics/**/*.py`` with :mod:`ast` and counts the literals that
would be user-visible text:

* a string literal holding a CJK character (CJK ideographs, CJK symbols and punctuation such
  as 、 and 。, full-width forms such as （ ） ： ；), counted once per literal (an f-string
  is one literal however many pieces it has);
* a bilingual literal: a dict display with both an ``"en"`` and a ``"zh"`` key, or a call
  ``dict(en=..., zh=...)`` — the sign of a sentence written inline in both languages.

Not counted: docstrings (they document the code, their examples may show Chinese
output), comments, and English literals that stand alone (exception messages meant for a
programmer, column names, codes): an English sentence shown to a user is caught when it
is written next to its Chinese twin, which is how ccmetrics wrote them.

Some modules hold such literals on purpose or for now, listed in :data:`ALLOWANCE` with
the number each holds today: the words ccmetrics reads in the data (Chinese column
headers, date formats, yes/no flags) and writes into the bundled Chinese sample file are
data, not text the app says; the others are modules still to convert. A module's count may
only go down: a NEW literal fails here, wherever it appears. A module that moves or splits
keeps its allowance under its first path component (``report.py`` and ``report/`` are both
``report``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ccmetrics"

#: Where the translations live: the only places user-visible literals belong.
TRANSLATION_FILES = ("i18n.py", "locales/")

#: CJK ideographs (with extension A and the compatibility block), CJK symbols and
#: punctuation, full-width forms.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

#: Module group (first path component under ccmetrics/, without ".py") ->
#: (input vocabulary, still to convert): how many literals each may hold today.
ALLOWANCE = {
    # Input vocabulary: Chinese header synonyms (synonyms.py), Chinese date and time formats
    # (parse.py), duration units and bracket characters of headers (mapping.py), the units a
    # duration cell may carry (毫秒, 秒钟, 秒, 分钟, 分, 小时, 时 in parse.py).
    "io": (227, 0),
    # The Chinese headers and category names of the bundled sample file, and its 是/否 flags.
    "sample": (38, 0),
    # The date headers of a driver file (日期, 日) and the 年/月/日 of the dates it reads.
    "forecast": (5, 0),
}


def _is_docstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether a string constant is the docstring of a module, class or function."""
    expression = parents.get(node)
    if not isinstance(expression, ast.Expr):
        return False
    owner = parents.get(expression)
    return (
        isinstance(owner, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and owner.body[0] is expression
    )


def _is_bilingual(node: ast.AST) -> bool:
    """A dict display with "en" and "zh" keys, or dict(en=..., zh=...)."""
    if isinstance(node, ast.Dict):
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        return {"en", "zh"} <= keys
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        return {"en", "zh"} <= {keyword.arg for keyword in node.keywords}
    return False


def user_visible_literals(source: str) -> list[tuple[int, str]]:
    """(line, excerpt) of every user-visible literal of a module's source, as defined above."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    in_fstring = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if _is_bilingual(node):
            found.append((node.lineno, "bilingual dict"))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value
                for part in node.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if CJK.search(text):
                found.append((node.lineno, text[:40]))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in in_fstring
            and CJK.search(node.value)
            and not _is_docstring(node, parents)
        ):
            found.append((node.lineno, node.value[:40]))
    return sorted(found)


def _modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if not path.relative_to(PACKAGE).as_posix().startswith(TRANSLATION_FILES)
    ]


def _group(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _literals_by_group() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in _modules():
        for line, excerpt in user_visible_literals(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(PACKAGE).as_posix()}:{line}"
            out.setdefault(_group(path), []).append(f"{where} {excerpt!r}")
    return out


# ------------------------------------------------------------------ the scanner itself


@pytest.mark.parametrize(
    ("source", "count"),
    [
        ('x = "服务水平"\n', 1),
        ('x = f"{n} 个班组"\n', 1),  # an f-string is one literal, not one per piece
        ('x = f"{a}，{b}：{c}"\n', 1),  # full-width punctuation alone is Chinese text
        ('x = {"en": f"{n} teams", "zh": f"{n} 个班组"}\n', 2),  # the dict and its Chinese text
        ('x = {"en": "Team", "zh": "Team"}\n', 1),
        ("x = dict(en=a, zh=b)\n", 1),
        ('x = "Service level"\n', 0),
        ('def f():\n    """Returns "班组" for a team."""\n    return t("dim.team", "zh")\n', 0),
        (
            '"""Module: 班组."""\n# 注释 is a comment\nx = {lang: t("k", lang) for lang in ("en", "zh")}\n',
            0,
        ),
        ('def f():\n    x = 1\n    "班组"\n', 1),  # a bare string that is not first is no docstring
    ],
)
def test_scanner_counts_what_the_docstring_says(source, count):
    assert len(user_visible_literals(source)) == count


def test_scan_reads_the_package_but_not_the_translation_tables():
    relative = {path.relative_to(PACKAGE).as_posix() for path in _modules()}
    assert {"compare.py", "funnel.py", "kpi.py", "__main__.py"} <= relative
    assert any(name.startswith("io/") for name in relative)  # subpackages are read too
    assert "i18n.py" not in relative
    assert not any(name.startswith("locales/") for name in relative)
    # the tables themselves are full of what the scan looks for: it would see them
    assert len(user_visible_literals((PACKAGE / "locales" / "compare.py").read_text("utf-8"))) > 40


# ------------------------------------------------------------------ the package


def test_no_user_visible_literal_outside_the_translation_tables():
    over = {}
    for group, items in _literals_by_group().items():
        allowed = sum(ALLOWANCE.get(group, (0, 0)))
        if len(items) > allowed:
            over[group] = f"{len(items)} literals, {allowed} allowed: " + "; ".join(items)
    assert over == {}, (
        "Put user-visible text in ccmetrics/locales/ and look it up with i18n.t; return codes "
        f"and numbers: {over}"
    )


def test_converted_modules_hold_no_literal():
    """The comparison, staffing, report, drill-down, control-chart and story modules are
    converted, and forecasting: none (or only data)."""
    found = _literals_by_group()
    for group in (
        "compare",
        "funnel",
        "unitstats",
        "stattests",
        "multitest",
        "kpi",
        "kpis",
        "staffing",
        "report",
        "drill",
        "spc",
        "story",
    ):
        assert found.get(group, []) == [], group
    # the driver file's vocabulary is all forecast holds
    assert len(found["forecast"]) == ALLOWANCE["forecast"][0]
