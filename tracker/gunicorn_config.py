"""Gunicorn settings for `scripts/serve` and production (`gunicorn -c python:tracker.gunicorn_config`).

Workers and threads are sized for the machine (WEB_CONCURRENCY and GUNICORN_THREADS override them). Several
processes are safe on SQLite too: it runs in WAL mode, and each write transaction takes the lock at BEGIN
and waits its turn (tracker/core/db.py). Gunicorn's own lines are JSON like the app's; it keeps no access
log of its own because the app logs every request without its query string.
"""

import os
import tempfile

workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
worker_class = "gthread"
timeout = 60
graceful_timeout = 20
accesslog = None
# Gunicorn 24+ opens a control socket at one fixed path per user; several checkouts on one machine would fight
# over it, and nothing here uses it.
control_socket_disable = True

# Every worker counts its own requests; /metrics adds them up from files in this folder (prometheus_client's
# multiprocess mode). It must be set before a worker first imports prometheus_client.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="tracker-metrics-"))

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tracker.core.operations.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"level": "WARNING", "handlers": []},  # the app's own logger has the JSON handler already
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "INFO", "propagate": False},
    },
}


def child_exit(_server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
