"""Benchmark of every main page at one scale, through the app in-process: wall and CPU time (medians), SQL
queries, and the HTML's weight raw and gzipped, for the co-ordinator and a chair (and the home page of every
demo role). Run it at 1x and 10x to see how each page's cost grows with the data.

    .venv/bin/python bench/pages.py                                   # 2,000 cases, 5,000 meetings, SQLite
    .venv/bin/python bench/pages.py --scale 10                        # 20,000 cases, 50,000 meetings
    .venv/bin/python bench/pages.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/pages.py --json out.json                   # also keep the figures
    .venv/bin/python bench/pages.py --compare a.json b.json           # cost of b against a, page by page
    .venv/bin/python bench/pages.py --tables "SQLite 1x=a.json,b.json" ...   # README tables
    .venv/bin/python bench/pages.py --ratios "SQLite=b1.json,b10.json,a1.json,a10.json" ...   # 10x over 1x

The data is bench/meetings.py's (its `generate`), with the demo area on top. CPU time is the Python
process's own (on SQLite it includes the database's work; on PostgreSQL the server's is not in it), and is
steadier than wall time on a shared machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import analyze, bench_app  # noqa: E402
from meetings import generate, give_reason, signed_in_client  # noqa: E402

from tracker.auth.models import User  # noqa: E402
from tracker.core.db import db  # noqa: E402
from tracker.demo import DEMO_DOMAIN  # noqa: E402
from tracker.meetings.models import AgendaItem, Meeting  # noqa: E402

ROLES = ["admin", "coordinator", "chair", "administrator", "trsg", "smb", "lay.adviser", "practitioner"]
WHO = ("coordinator", "chair")


def chairs_first_item(session) -> AgendaItem:
    """The first agenda item of the demo chair's first meeting: the one whose pages are measured."""
    chair_id = session.exec(select(User.id).where(User.email == f"chair@{DEMO_DOMAIN}")).one()
    meeting = session.exec(select(Meeting).where(Meeting.chair_id == chair_id).order_by(Meeting.id)).first()
    return session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).first()


def pages(meeting_id: int, item_id: int, case_id: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, url, who) for every main page."""
    return [
        *[(f"Home ({role})", "/home", (role,)) for role in ROLES],
        ("Meeting list", "/meetings", WHO),
        ("Case list", "/cases", WHO),
        ("Cases overdue", "/cases?review=overdue", WHO),
        ("Action list (all)", "/actions?owner=all", WHO),
        ("Minutes list", "/minutes", WHO),
        ("Meeting page", f"/meetings/{meeting_id}", WHO),
        ("Agenda item page", f"/meetings/{meeting_id}/agenda/{item_id}", WHO),
        ("Case page", f"/cases/{case_id}", WHO),
        ("Chairs' register", "/training/chairs", ("trsg",)),
        ("Board dashboard", "/reports/", ("coordinator", "smb")),
    ]


def measure(client, engine, url: str, runs: int) -> dict:
    counted = [0]

    def count(*_args, **_kwargs):
        counted[0] += 1

    walls, cpus, body = [], [], b""
    for run in range(runs + 1):
        counted[0] = 0
        sa.event.listen(engine, "before_cursor_execute", count)
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        sa.event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (url, response.status_code)
        body = response.get_data()
        if run:  # the first request warms caches
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
    return {
        "wall_ms": statistics.median(walls),
        "cpu_ms": statistics.median(cpus),
        "queries": counted[0],
        "bytes": len(body),
        "gzip_bytes": len(gzip.compress(body, 6)),
    }


def run(scale: int, runs: int, database_url: str | None) -> dict:
    cases, meetings = 2000 * scale, 5000 * scale
    with bench_app(database_url, TESTING=True, SESSION_COOKIE_SECURE=False) as app:
        logging.getLogger("tracker.requests").setLevel(logging.WARNING)
        engine = app.extensions["db_engine"]
        started = time.perf_counter()
        with app.app_context():
            session = db.session
            generate(session, cases, meetings)
            analyze(engine)
            clients = {who: signed_in_client(app, session, who) for who in ROLES}
            item = chairs_first_item(session)
            listed = pages(item.meeting_id, item.id, item.case_id)
            case_id = item.case_id
            # End this session's transaction: on SQLite it holds the write lock, which the requests need.
            session.commit()
            for client in clients.values():
                give_reason(client, case_id)
        print(
            f"{engine.dialect.name}: {cases:,} cases, {meetings:,} meetings "
            f"(generated in {time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
        )
        results = {"backend": engine.dialect.name, "scale": scale, "pages": {}}
        print(f"{'page':<26}{'who':<14}{'wall ms':>9}{'cpu ms':>9}{'queries':>8}{'KB':>7}{'gz KB':>7}")
        # Each request in its own application context, as a server gives it (one held open around them all
        # would share `g`, and what a request keeps there, between requests).
        for label, page_url, who_all in listed:
            for who in who_all:
                figures = measure(clients[who], engine, page_url, runs)
                results["pages"][f"{label} | {who}"] = figures
                kb, gz_kb = figures["bytes"] / 1024, figures["gzip_bytes"] / 1024
                print(
                    f"{label:<26}{who:<14}{figures['wall_ms']:>9.1f}{figures['cpu_ms']:>9.1f}"
                    f"{figures['queries']:>8}{kb:>7.1f}{gz_kb:>7.1f}",
                    flush=True,
                )
    return results


def compare(before_path: str, after_path: str) -> None:
    before = json.loads(Path(before_path).read_text())["pages"]
    after = json.loads(Path(after_path).read_text())["pages"]
    print(f"{'page | who':<40}{'wall':>14}{'ratio':>7}{'cpu':>14}{'ratio':>7}")
    for key, figures in after.items():
        if key not in before:
            continue
        old = before[key]
        wall, cpu = figures["wall_ms"], figures["cpu_ms"]
        print(
            f"{key:<40}{old['wall_ms']:>6.1f}→{wall:<6.1f} {wall / old['wall_ms']:>6.2f}"
            f"{old['cpu_ms']:>6.1f}→{cpu:<6.1f} {cpu / max(old['cpu_ms'], 0.1):>6.2f}"
        )


def tables(columns: list[str]) -> None:
    """One Markdown table per page: a row per person, a column per COLUMN=BEFORE.json,AFTER.json given
    (either file may be "-"), each cell the CPU milliseconds before and after (wall milliseconds beside)."""
    runs = []
    for column in columns:
        label, files = column.split("=", 1)
        pair = [json.loads(Path(f).read_text())["pages"] if f != "-" else {} for f in files.split(",")]
        runs.append((label, *pair))
    keys = list(dict.fromkeys(key for _, before, after in runs for key in [*before, *after]))

    def page_of(key: str) -> str:
        return key.split(" | ")[0].split(" (")[0]  # the home page of every role in one table

    pages_ = list(dict.fromkeys(page_of(key) for key in keys))

    def cell(figures: dict | None) -> str:
        return f"{figures['cpu_ms']:.0f} ({figures['wall_ms']:.0f})" if figures else "–"

    for page in pages_:
        print(f"\n**{page}**\n")
        print("| Who | " + " | ".join(label for label, _, _ in runs) + " |")
        print("|---" * (len(runs) + 1) + "|")
        for key in (key for key in keys if page_of(key) == page):
            cells = [f"{cell(before.get(key))} → {cell(after.get(key))}" for _, before, after in runs]
            print(f"| {key.split(' | ')[1]} | " + " | ".join(cells) + " |")


def ratios(columns: list[str]) -> None:
    """One Markdown table: a row per page and person, a column per COLUMN=BEFORE_1X,BEFORE_10X,AFTER_1X,
    AFTER_10X given, each cell the CPU time at 10x over 1x (wall time's beside it) before and after ("-" for
    a run not made)."""
    runs = []
    for column in columns:
        label, files = column.split("=", 1)
        loaded = [json.loads(Path(f).read_text())["pages"] if f != "-" else {} for f in files.split(",")]
        runs.append((label, *loaded))
    keys = list(dict.fromkeys(key for _, *files in runs for figures in files for key in figures))

    def ratio(one: dict, ten: dict, key: str) -> str:
        if key not in one or key not in ten:
            return "–"
        cpu = ten[key]["cpu_ms"] / max(one[key]["cpu_ms"], 0.1)
        return f"{cpu:.2f} ({ten[key]['wall_ms'] / max(one[key]['wall_ms'], 0.1):.2f})"

    print("| Page | Who | " + " | ".join(label for label, *_ in runs) + " |")
    print("|---" * (len(runs) + 2) + "|")
    for key in keys:
        page, who = key.split(" | ")
        cells = [f"{ratio(b1, b10, key)} → {ratio(a1, a10, key)}" for _, b1, b10, a1, a10 in runs]
        print(f"| {page.split(' (')[0]} | {who} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="1 = 2,000 cases and 5,000 meetings")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--tables", nargs="+", metavar="COLUMN=BEFORE,AFTER")
    parser.add_argument("--ratios", nargs="+", metavar="COLUMN=BEFORE_1X,BEFORE_10X,AFTER_1X,AFTER_10X")
    args = parser.parse_args()
    if args.tables:
        tables(args.tables)
        return
    if args.ratios:
        ratios(args.ratios)
        return
    if args.compare:
        compare(*args.compare)
        return
    results = run(args.scale, args.runs, args.database_url)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
