"""Running it as a service: the health and readiness probes, request ids, JSON logs free of case data,
and the Prometheus metrics with who may read them."""

from __future__ import annotations

import io
import json
import logging
import threading

import pytest
from alembic.script import ScriptDirectory

from tests.factories.core import PASSWORD
from tests.posted import referral
from tracker import create_app
from tracker.core import migrate
from tracker.core.operations import JsonFormatter, add_metric_gauge, add_readiness_check


def _app(url: str, **config):
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "operations-tests", "TESTING": True, **config})


def test_healthz_answers_without_sign_in_and_without_data(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ready_when_the_database_answers_and_every_migration_is_applied(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "mail_sender": "ok"},
    }


def test_readyz_is_unready_while_a_migration_is_pending(tmp_path):
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    head = script.get_revision(script.get_current_head())
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    migrate.upgrade(url, head.down_revision)
    app = _app(url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unready",
        "checks": {"database": "ok", "migrations": "a migration is pending", "mail_sender": "ok"},
    }
    migrate.upgrade(url)
    assert app.test_client().get("/readyz").status_code == 200
    app.extensions["db_engine"].dispose()


def test_readyz_is_unready_when_the_database_cannot_be_reached():
    # Nothing listens on port 9 of this machine: the same answer as a stopped database server.
    app = _app("postgresql+psycopg://tracker@127.0.0.1:9/tracker")
    assert app.test_client().get("/healthz").status_code == 200
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unready"
    assert body["checks"]["database"] == "unreachable"
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_an_area_adds_its_own_readiness_check(app, client):
    add_readiness_check(app, "mail sender", lambda: "no run for 20 minutes")
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.get_json()["checks"]["mail sender"] == "no run for 20 minutes"
    finally:
        del app.extensions["readiness_checks"]["mail sender"]


def test_every_response_carries_a_request_id_and_a_sane_given_one_is_kept(client):
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/healthz").headers["X-Request-ID"]
    assert client.get("/healthz", headers={"X-Request-ID": "proxy-1234abcd"}).headers["X-Request-ID"] == (
        "proxy-1234abcd"
    )
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" injected {"level": "ERROR"}'})
    assert forged.headers["X-Request-ID"] != 'x" injected {"level": "ERROR"}'


@pytest.fixture
def captured_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tracker")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_a_journey_through_a_case_leaves_json_lines_with_request_ids_and_no_case_data(
    client_as, factory, captured_log
):
    administrator = factory.user("ADMINISTRATOR")
    agency = factory.agency("Probation for logging")
    client = client_as(administrator)
    name, reference = "Ottoline Brackenbury", "LDN-2026-7319"
    form = referral(agency, reference, name=name, borough="Wandsworth")
    created = client.post("/cases/new", data=form)
    assert created.status_code == 302
    case_page = created.headers["Location"]
    assert name in client.get(case_page).get_data(as_text=True)
    assert reference in client.get("/cases", query_string={"q": "Brackenbury"}).get_data(as_text=True)
    assert client.post("/cases/new", data=form).status_code == 200  # the duplicate is refused
    client.get(case_page + "/edit")
    client.get("/cases/987654")
    client.post("/sign-in", data={"email": "ottoline.brackenbury@example.org", "password": "wrong one"})

    lines = [json.loads(line) for line in captured_log.getvalue().splitlines()]
    requests = [line for line in lines if line["message"] == "request"]
    assert len(requests) >= 7
    assert all(line["request_id"] and line["time"] and line["level"] for line in lines)
    assert {line["route"] for line in requests} >= {"/cases/new", "/cases/<int:case_id>", "/cases"}
    assert {line["status"] for line in requests} >= {200, 302, 404}
    text = captured_log.getvalue().lower()
    for secret in (name, "Ottoline", "Brackenbury", reference, "Wandsworth", "1980-04-03", "987654"):
        assert secret.lower() not in text, f"{secret!r} reached the log"


def _metric(text: str, name: str, **labels) -> float:
    for line in text.splitlines():
        named = line.startswith(name + "{") or line.startswith(name + " ")
        if named and all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_by_route_rule_never_by_id(client_as, factory, client):
    chair = factory.user("CHAIR")
    case = factory.case()
    signed_in = client_as(chair)
    before = _metric(client.get("/metrics").get_data(as_text=True), "tracker_http_requests_total",
                     route="/cases/<int:case_id>", method="GET")
    signed_in.get(f"/cases/{case.id}")
    signed_in.get("/cases/987654")
    text = client.get("/metrics").get_data(as_text=True)
    after = sum(
        _metric(text, "tracker_http_requests_total", route="/cases/<int:case_id>", method="GET", status=status)
        for status in ("200", "403", "404")
    )
    assert after >= before + 2
    assert _metric(text, "tracker_http_request_duration_seconds_count", route="/cases/<int:case_id>") >= 2
    assert f"/cases/{case.id}" not in text and "987654" not in text


@pytest.fixture
def counted_here(monkeypatch) -> list[str]:
    """The failed sign-ins counted by this test's own requests (the test client answers on this thread).

    The counter is the process's: a browser test's live server, answering on its own threads in the same
    worker, can count one of its own between this test's two readings of /metrics."""
    from tracker.core import operations

    steps: list[str] = []
    here = threading.get_ident()
    counter = operations.FAILED_SIGN_INS

    class Spy:
        def labels(self, **labels):
            if threading.get_ident() == here:
                steps.append(labels["step"])
            return counter.labels(**labels)

    monkeypatch.setattr(operations, "FAILED_SIGN_INS", Spy())
    return steps


def test_metrics_count_failed_sign_ins(client, factory, counted_here):
    user = factory.user("CHAIR")
    metric = "tracker_failed_sign_ins_total"
    before = _metric(client.get("/metrics").get_data(as_text=True), metric, step="password")
    client.post("/sign-in", data={"email": user.email, "password": "not the password at all"})
    client.post("/sign-in", data={"email": "nobody@example.org", "password": "not the password at all"})
    assert counted_here == ["password", "password"]
    assert _metric(client.get("/metrics").get_data(as_text=True), metric, step="password") >= before + 2


def test_a_successful_sign_in_is_not_counted_as_failed(client, factory, counted_here):
    user = factory.user("ADMINISTRATOR")
    signed_in = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in.location != "/sign-in"
    assert counted_here == []


def test_an_area_adds_a_gauge_read_at_each_scrape(app, client):
    depth = [3]
    add_metric_gauge(app, "tracker_outbox_depth", "Emails waiting to be sent", lambda: depth[0])
    try:
        assert _metric(client.get("/metrics").get_data(as_text=True), "tracker_outbox_depth") == 3
        depth[0] = 0
        assert _metric(client.get("/metrics").get_data(as_text=True), "tracker_outbox_depth") == 0
    finally:
        del app.extensions["metric_gauges"]["tracker_outbox_depth"]


def test_metrics_answer_only_this_machine_when_no_token_is_set(client):
    assert client.get("/metrics").status_code == 200
    elsewhere = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 403 and b"tracker_http" not in elsewhere.data
    through_a_proxy = client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
    assert through_a_proxy.status_code == 403


def test_metrics_need_the_token_when_one_is_set(app, client):
    app.config["METRICS_TOKEN"] = "scrape-token-for-tests"
    try:
        assert client.get("/metrics").status_code == 403
        wrong = {"Authorization": "Bearer not-the-token"}
        assert client.get("/metrics", headers=wrong).status_code == 403
        right = {"Authorization": "Bearer scrape-token-for-tests", "X-Forwarded-For": "10.1.2.3"}
        response = client.get("/metrics", headers=right, environ_base={"REMOTE_ADDR": "10.9.9.9"})
        assert response.status_code == 200 and b"tracker_http_requests_total" in response.data
    finally:
        app.config["METRICS_TOKEN"] = None


def test_readyz_warns_but_stays_ready_when_an_email_has_waited_longer_than_the_sender_would_leave_it(
    client, session
):
    """A stopped email sender is a separate process's fault: the web processes stay in service (a 503
    would take every one of them out), /readyz names the problem, and a gauge says how long mail waits."""
    from datetime import timedelta

    from tracker.core.models import OutboxMessage
    from tracker.core.types import utcnow

    message = OutboxMessage(sender="a@example.org", recipients="b@example.org", message=b"x")
    message.next_attempt_at = utcnow() - timedelta(minutes=5)
    session.add(message)
    session.commit()
    assert client.get("/readyz").status_code == 200
    message.next_attempt_at = utcnow() - timedelta(hours=1)
    session.add(message)
    session.commit()
    response = client.get("/readyz")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["status"] == "ready"
    assert answer["checks"]["mail_sender"] == "the email sender is not running"
    assert answer["warnings"] == {"mail_sender": "the email sender is not running"}
    waited = _metric(client.get("/metrics").get_data(as_text=True), "tracker_outbox_oldest_due_seconds")
    assert 3500 < waited < 3700
