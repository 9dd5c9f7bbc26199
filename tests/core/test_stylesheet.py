"""The tracker's own stylesheet: every rule closed, so that no rule swallows the ones after it."""

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "tracker.css"


def _rules_at_top_level(css: str) -> list[str]:
    """The selectors of the top-level rules; an unclosed rule turns the rules after it into nested ones."""
    selectors, depth, start = [], 0, 0
    css = "".join(part.split("*/")[-1] for part in css.split("/*"))  # comments out
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                selectors.append(css[start:index].strip())
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, f"a '}}' closes nothing, after {selectors[-1]!r}"
            start = index + 1
        elif char == ";" and depth == 0:
            start = index + 1
    assert depth == 0, f"a rule is left open, at or after {selectors[-1]!r}"
    return selectors


def test_every_rule_of_the_stylesheet_is_closed_and_at_the_top_level():
    selectors = _rules_at_top_level(STYLESHEET.read_text())
    for expected in (".app-register__note", ".app-pre-line", ".app-conflict", ".app-table-scroll"):
        assert expected in selectors
