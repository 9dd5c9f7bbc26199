"""Demo data for the Board's reports.

The seed year 2024/25 as London published it: people with dated histories whose counts give exactly the
published tables (on 31 March: Level 2 24, 63 and 67, Level 3 8, 3 and 6; over the year: Level 2 153,
301 and 298, Level 3 21, 27 and 31; returned to custody: Level 2 19, 22 and 31, Level 3 3, 2 and 4), and the
co-ordinator's entered figures as London published them (Level 1 7,368 and 3,681; the orders, breaches and
notification figures). The population behind the published rate of 92 per 100,000 is not published with
it: the demo's 8,043,000 is invented to give that rate. Each of those people has since left MAPPA or is
managed at Level 1, so none is waiting for a meeting today.

For the dashboard: a year and a half of held meetings before today, with the Four Pillars, attendance,
actions, minutes (mostly on time) and a handful of completed quality audits, plus one audit for the demo
chair to do. Every name is invented and drawn with a fixed seed, so the demo is the same every time.
"""

from __future__ import annotations

from tracker.demo.reports.audits import seed_audits
from tracker.demo.reports.history import Builder, seed_figures, seed_year
from tracker.demo.reports.meetings import seed_meetings


def seed(context) -> None:
    build = Builder(context)
    seed_year(build)
    seed_figures(context)
    context.session.flush()
    meetings = seed_meetings(build)
    context.session.flush()
    seed_audits(build, meetings)
