"""The tracker's faster line folding gives exactly what icalendar's own folding gives."""

import random

from icalendar.parser.string import _foldline as icalendar_fold

from tracker.calendar.ics import fold_line


def test_folding_matches_icalendar_for_every_kind_of_line():
    chance = random.Random(2026)
    alphabet = "abcdefghij ABC,;:\\^n0123456789-"
    lines = ["", "x", "DESCRIPTION:" + "a" * 62, "DESCRIPTION:" + "a" * 63, "DESCRIPTION:" + "a" * 200]
    lines += ["X" * 73 + "\\n" + "y" * 100, "X" * 72 + "^^" + "z" * 80, "\\" * 300, "^" * 150]
    lines += ["LOCATION:Caf\u00e9 on the corner \u2013 room 2" * 4]  # not ASCII: icalendar's own path
    for _ in range(3000):
        lines.append("".join(chance.choice(alphabet) for _ in range(chance.randrange(0, 400))))
    for line in lines:
        assert fold_line(line) == icalendar_fold(line), line
        assert fold_line(line, limit=10) == icalendar_fold(line, limit=10), line
