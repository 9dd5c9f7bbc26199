"""The tracker's own stylesheet: a block left open swallows every rule after it (browsers read them as
nested rules), which once undid the minutes' styles: typed line breaks, conflict boxes, buttons in a row."""

import re
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "tracker.css"


def test_every_rule_in_the_stylesheet_is_closed_before_the_next_one_starts():
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.DOTALL)
    open_blocks: list[str] = []  # the selector or @-rule of each block we are inside
    for match in re.finditer(r"([^{};]*)\{|\}", css):
        if match.group(0) == "}":
            assert open_blocks, f"a '}}' closes nothing at offset {match.start()}"
            open_blocks.pop()
            continue
        selector = " ".join(match.group(1).split())
        # Only @media and the like hold rules: a rule inside a rule means a '}' is missing.
        assert all(block.startswith("@") for block in open_blocks), (
            f"{selector!r} starts inside the unclosed {open_blocks[-1]!r}"
        )
        open_blocks.append(selector)
    assert open_blocks == [], f"the stylesheet ends inside {open_blocks}"
