"""Running the tracker as a service: health and readiness probes, JSON logs with a request id, metrics.

- `/healthz` answers while the process serves requests; `/readyz` runs a list of checks (the database
  answers, no migration is pending) that other areas extend with `add_readiness_check(app, name, check)`.
  A check that only warns (`blocking=False`: the email sender, a process of its own) is reported but
  leaves the app ready, so that a stopped sender does not take every web process out of service.
- Every log line is one JSON object carrying the request's id, which is also sent back as `X-Request-ID`.
  Lines name the route rule (`/cases/<int:case_id>`), never a query string or a form's contents.
- `/metrics` is Prometheus' text format: requests and their durations by route rule, failed sign-ins, and
  gauges that areas add with `add_metric_gauge(app, name, text, read)`. It answers only with the
  `METRICS_TOKEN` as a bearer token, or, with no token set, only to this machine (not through a proxy).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, current_app, g, has_request_context, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from tracker.core.permissions import public

bp = Blueprint("operations", __name__)
log = logging.getLogger("tracker.requests")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

REQUESTS = Counter(
    "tracker_http_requests",
    "Requests answered, by route rule, method and status",
    ["route", "method", "status"],
)
DURATION = Histogram(
    "tracker_http_request_duration_seconds",
    "Time to answer a request, by route rule and method",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
FAILED_SIGN_INS = Counter(
    "tracker_failed_sign_ins", "Sign-in attempts refused for a wrong password or security code", ["step"]
)


# Readiness ---------------------------------------------------------------------------------------------


def add_readiness_check(
    app: Flask, name: str, check: Callable[[], str | None], blocking: bool = True
) -> None:
    """Add a check to /readyz: `check()` returns None when ready, or a short reason (no data) when not.
    A check that is not `blocking` is reported under `warnings` without making the app unready."""
    app.extensions.setdefault("readiness_checks", {})[name] = (check, blocking)


@contextmanager
def _connection():
    # Tests bind the app to one connection inside a transaction; elsewhere, a connection of the pool.
    shared = current_app.extensions.get("db_test_connection")
    if shared is not None:
        yield shared
        return
    with current_app.extensions["db_engine"].connect() as connection:
        yield connection


def _database_answers() -> str | None:
    with _connection() as connection:
        connection.exec_driver_sql("SELECT 1")
    return None


def _migrations_current() -> str | None:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from tracker.core.migrate import alembic_config

    heads = current_app.extensions.get("migration_heads")
    if heads is None:
        script = ScriptDirectory.from_config(alembic_config(current_app.config["DATABASE_URL"]))
        heads = current_app.extensions["migration_heads"] = set(script.get_heads())
    with _connection() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    return None if applied == heads else "a migration is pending"


# How late the oldest email due may be before the sender counts as not running (it looks every few seconds).
SENDER_GRACE = timedelta(minutes=15)


def _oldest_email_wait() -> timedelta | None:
    """How long the email due longest ago has been waiting for the sender, or None when none is due."""
    from tracker.core.models import OutboxMessage, OutboxStatus

    table = OutboxMessage.__table__
    due = sa.select(sa.func.min(table.c.next_attempt_at)).where(table.c.status == OutboxStatus.QUEUED.name)
    with _connection() as connection:
        oldest = connection.execute(due).scalar()
    if oldest is None:
        return None
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return max(datetime.now(UTC) - oldest, timedelta(0))


def _mail_sender_recent() -> str | None:
    """A warning when an email has been due for longer than the sender would leave it: no sender runs."""
    try:
        waiting = _oldest_email_wait()
    except sa.exc.DBAPIError:
        return None  # no database, or no outbox yet: the database and migrations checks say so
    return "the email sender is not running" if waiting is not None and waiting > SENDER_GRACE else None


def _oldest_email_seconds() -> float:
    waiting = _oldest_email_wait()
    return waiting.total_seconds() if waiting is not None else 0.0


def _outbox_depth() -> float:
    from tracker.core.models import OutboxMessage, OutboxStatus

    table = OutboxMessage.__table__
    statement = sa.select(sa.func.count()).where(table.c.status == OutboxStatus.QUEUED.name)
    with _connection() as connection:
        return float(connection.execute(statement).scalar() or 0)


@bp.get("/healthz")
@public
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@public
def readyz():
    results, warnings, ready = {}, {}, True
    for name, (check, blocking) in current_app.extensions.get("readiness_checks", {}).items():
        try:
            problem = check()
        except Exception as error:  # an unreachable database raises; the probe says so without details
            log.warning("readiness check failed", extra={"check": name, "error": type(error).__name__})
            problem = "unreachable"
        results[name] = problem or "ok"
        if problem is not None and not blocking:
            warnings[name] = problem
        ready = ready and (problem is None or not blocking)
    answer = {"status": "ready" if ready else "unready", "checks": results}
    if warnings:
        answer["warnings"] = warnings
    return jsonify(answer), 200 if ready else 503


# Metrics -----------------------------------------------------------------------------------------------


def add_metric_gauge(app: Flask, name: str, text: str, read: Callable[[], float]) -> None:
    """Add a gauge to /metrics whose value `read()` gives at each scrape (for example the outbox depth)."""
    app.extensions.setdefault("metric_gauges", {})[name] = (text, read)


class _Gauges:
    def __init__(self, gauges: dict) -> None:
        self.gauges = gauges

    def collect(self):
        for name, (text, read) in self.gauges.items():
            family = GaugeMetricFamily(name, text)
            family.add_metric([], float(read()))
            yield family


def _metrics_allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    # No token: this machine only, and never a request that came through a proxy.
    loopback = request.remote_addr in {"127.0.0.1", "::1"}
    return loopback and "X-Forwarded-For" not in request.headers and "Forwarded" not in request.headers


@bp.get("/metrics")
@public
def metrics():
    if not _metrics_allowed():
        return jsonify(status="forbidden"), 403
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    gauges = CollectorRegistry()
    gauges.register(_Gauges(current_app.extensions.get("metric_gauges", {})))
    return Response(generate_latest(registry) + generate_latest(gauges), mimetype=CONTENT_TYPE_LATEST)


# Logs --------------------------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request id, and any `extra` fields."""

    _STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": g.get("request_id") if has_request_context() else None,
        }
        for key, value in vars(record).items():
            if key not in self._STANDARD and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def _configure_logging(app: Flask) -> None:
    from flask.logging import default_handler

    logger = logging.getLogger("tracker")  # the app's own logger and every tracker.* module's
    logger.removeHandler(default_handler)  # Flask's plain-text handler, if the app logged already
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(app.config.get("LOG_LEVEL") or "INFO")


def _count_failed_sign_ins() -> None:
    from tracker.auth.models import LoginAttempt

    # An attempt is recorded as pending before its password or code is checked, and marked failed after:
    # counted when it becomes failed (a pending one that then succeeds, or is throttled, is not a failure).
    @sa.event.listens_for(LoginAttempt.outcome, "set")
    def _failed(_attempt, value, old, _initiator):
        if value == "failed" and old != "failed":
            second_step = has_request_context() and request.endpoint == "auth.two_factor"
            step = "security_code" if second_step else "password"
            FAILED_SIGN_INS.labels(step=step).inc()


_counting = False


def init_app(app: Flask) -> None:
    global _counting
    _configure_logging(app)
    add_readiness_check(app, "database", _database_answers)
    add_readiness_check(app, "migrations", _migrations_current)
    add_readiness_check(app, "mail_sender", _mail_sender_recent, blocking=False)
    add_metric_gauge(app, "tracker_outbox_queued", "Emails queued in the outbox, not yet sent", _outbox_depth)
    add_metric_gauge(
        app,
        "tracker_outbox_oldest_due_seconds",
        "How long the email due longest ago has waited for the sender (0 when none is due)",
        _oldest_email_seconds,
    )
    app.register_blueprint(bp)
    if not _counting:
        _count_failed_sign_ins()
        _counting = True

    @app.before_request
    def _start():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        started = g.get("request_started")
        if started is None:
            return response
        seconds = time.perf_counter() - started
        route = request.url_rule.rule if request.url_rule else "unmatched"
        if request.endpoint != "static":
            REQUESTS.labels(route=route, method=request.method, status=str(response.status_code)).inc()
            DURATION.labels(route=route, method=request.method).observe(seconds)
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "user_id": g.user.id if g.get("user") else None,
                },
            )
        response.headers["X-Request-ID"] = g.request_id
        return response
