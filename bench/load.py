"""Load test of the main pages as a server sees them: gunicorn (2 workers) and wrk on loopback, each page
beside a bare Flask route that serves the same bytes, in the same run, so the page's share of the
framework's own limit can be read off directly.

    apt-get install wrk                                     # once: the load generator (Debian/Ubuntu)
    .venv/bin/python bench/load.py                          # 2,000 cases / 5,000 meetings on SQLite
    .venv/bin/python bench/load.py --scale 10 --duration 5
    .venv/bin/python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

The data is bench/meetings.py's; the co-ordinator and the demo chair are signed in through a session cookie
like a browser's. wrk sends no Accept-Encoding, so neither server compresses. Every figure is a median of
`--rounds` runs of `--duration` seconds each, page and bare route taking turns.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import analyze, migrated_database  # noqa: E402
from meetings import generate, give_reason, signed_in_client  # noqa: E402
from pages import chairs_first_item, pages  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.core.db import db  # noqa: E402

# The bare route: the same bytes, the same content type, from a Flask app under the same gunicorn settings.
BARE_APP = """
import os
from pathlib import Path
from flask import Flask, Response

app = Flask(__name__)
FOLDER = Path(os.environ["BENCH_BARE_FOLDER"])
BODIES = {path.stem: path.read_bytes() for path in FOLDER.glob("*.html")}


@app.route("/<name>")
def page(name):
    return Response(BODIES[name], content_type="text/html; charset=utf-8")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    app_spec: str, port: int, env: dict, workers: int, threads: int, cwd: Path
) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        "python:tracker.gunicorn_config",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        app_spec,
    ]
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz-bench-probe", timeout=1)
        except urllib.error.HTTPError:
            return process  # it answers (404 is an answer)
        except OSError:
            time.sleep(0.1)
        else:
            return process
    raise RuntimeError(f"gunicorn did not start: {command}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def wrk(url: str, cookie: str | None, duration: float, connections: int) -> float:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses: \d+", output):
        raise RuntimeError(f"errors from {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="1 = 2,000 cases and 5,000 meetings")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--duration", type=float, default=3, help="seconds of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", help="pages whose label contains this")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (or brew install wrk)")
    with migrated_database(args.database_url) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SESSION_COOKIE_SECURE": False})
        engine = app.extensions["db_engine"]
        cookie_name = app.config["SESSION_COOKIE_NAME"]
        with app.app_context():
            session = db.session
            generate(session, 2000 * args.scale, 5000 * args.scale)
            analyze(engine)
            item = chairs_first_item(session)
            listed_all = pages(item.meeting_id, item.id, item.case_id)
            case_id = item.case_id
            # End this session's transaction: on SQLite it holds the write lock, which the requests need.
            session.commit()
            cookies = {}
            for who in ("coordinator", "chair", "trsg", "smb", "administrator", "practitioner", "admin"):
                client = signed_in_client(app, session, who)
                client.get("/home")
                give_reason(client, case_id)
                cookies[who] = f"{cookie_name}={client.get_cookie(cookie_name).value}"
            listed = [
                (label, page_url, who)
                for label, page_url, whos in listed_all
                if not args.only or args.only.lower() in label.lower()
                for who in whos
                if who in cookies
            ]
        engine.dispose()
        folder = Path(tempfile.mkdtemp(prefix="tracker-bench-load-"))
        (folder / "bare_app.py").write_text(BARE_APP)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "SESSION_COOKIE_SECURE": "0",
            "BENCH_BARE_FOLDER": str(folder),
            "PYTHONPATH": f"{ROOT}:{folder}",
        }
        app_port, bare_port = free_port(), free_port()
        server = start_gunicorn("tracker:create_app()", app_port, env, args.workers, args.threads, ROOT)
        try:
            # The bytes each page serves, for the bare route to serve in its turn.
            for number, (_label, page_url, who) in enumerate(listed):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{app_port}{page_url}", headers={"Cookie": cookies[who]}
                )
                with urllib.request.urlopen(request) as response:
                    (folder / f"p{number}.html").write_bytes(response.read())
            bare = start_gunicorn("bare_app:app", bare_port, env, args.workers, args.threads, folder)
            try:
                print(
                    f"{engine.dialect.name}, {args.scale}x: {args.workers} workers x {args.threads} threads, "
                    f"wrk {args.connections} connections, {args.rounds} x {args.duration:g} s"
                )
                print(f"{'page':<26}{'who':<14}{'KB':>6}{'page req/s':>12}{'bare req/s':>12}{'share':>8}")
                for number, (label, page_url, who) in enumerate(listed):
                    page_rates, bare_rates = [], []
                    for _ in range(args.rounds):
                        page_rates.append(
                            wrk(
                                f"http://127.0.0.1:{app_port}{page_url}",
                                cookies[who],
                                args.duration,
                                args.connections,
                            )
                        )
                        bare_rates.append(
                            wrk(
                                f"http://127.0.0.1:{bare_port}/p{number}",
                                None,
                                args.duration,
                                args.connections,
                            )
                        )
                    size = (folder / f"p{number}.html").stat().st_size / 1024
                    page_rate, bare_rate = statistics.median(page_rates), statistics.median(bare_rates)
                    print(
                        f"{label:<26}{who:<14}{size:>6.1f}{page_rate:>12.0f}{bare_rate:>12.0f}"
                        f"{100 * page_rate / bare_rate:>7.1f}%",
                        flush=True,
                    )
            finally:
                stop(bare)
        finally:
            stop(server)
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
