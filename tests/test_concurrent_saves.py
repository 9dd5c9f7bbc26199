"""Two people saving the same record at the same moment: exactly one change is kept, the other is told.

Each person is a thread with a connection of its own to a database of its own (committed data, as in
production, not the rolled-back transaction of the other tests). On PostgreSQL both read the record in
the transaction that saves it and wait for each other (a barrier) before saving, so both start from the
same version and both reach the save: the race a compare-then-increment lost. SQLite takes its write lock
when a transaction begins (tracker.core.db), so two transactions there cannot both have read before
either saves; each person reads in a request of their own first, as two open pages do, and then both
save at once.
"""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from sqlmodel import Session

from tests.conftest import BACKENDS, make_app, make_database
from tests.factories import Factory
from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.locking import Conflict
from tracker.core.timeutil import today_london
from tracker.evaluations import services as evaluation_services
from tracker.evaluations.models import EvaluationForm, Question, QuestionKind
from tracker.training import services as training_services
from tracker.training.models import CourseEvent, EventKind, TrainingSession


@pytest.fixture(scope="module", params=BACKENDS)
def race_app(request, tmp_path_factory):
    databases = make_database(request.param, tmp_path_factory)
    url = next(databases)
    app = make_app(url, tmp_path_factory.mktemp("race-instance") / "mail")
    app.backend = request.param
    yield app
    app.extensions["db_engine"].dispose()
    databases.close()


@pytest.fixture
def made(race_app):
    """A factory whose objects are committed, so the two people's connections see them."""
    with race_app.app_context(), Session(race_app.extensions["db_engine"], expire_on_commit=False) as session:
        yield Factory(session)


def race(app, made: Factory, model: type, object_id: int, save) -> list[str]:
    """Two people load the same record and save it at once with `save(obj, version, actor, who)`;
    returns what each was told ("saved" or "conflict")."""
    made.session.commit()  # the set-up's own transaction ends (on SQLite it would hold the write lock)
    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []
    failures: list[BaseException] = []
    actor_id = app.race_actor_id

    def person(who: int) -> None:
        try:
            with app.test_request_context():
                obj = db.session.get(model, object_id)
                version = str(obj.version)
                actor = db.session.get(User, actor_id)
                if app.backend == "sqlite":
                    db.session.commit()  # the page is read; the write lock is free for the other reader
                barrier.wait()
                try:
                    save(obj, version, actor, who)
                    db.session.commit()
                    outcomes.append("saved")
                except Conflict:
                    db.session.rollback()
                    outcomes.append("conflict")
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=person, args=(who,)) for who in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    return sorted(outcomes)


@pytest.fixture
def actor(race_app, made):
    user = made.user("TRSG")
    race_app.race_actor_id = user.id
    return user


def fresh(app, model: type, object_id: int):
    with app.app_context(), Session(app.extensions["db_engine"]) as session:
        return session.get(model, object_id)


def test_two_saves_of_one_training_event_keep_exactly_one(race_app, made, actor):
    event = made.event(capacity=10)

    def save(obj, version, person, who):
        training_services.update_event(
            obj,
            version,
            person,
            title=f"Saved by person {who}",
            kind=EventKind.COHORT,
            pillar=None,
            capacity=10 + who,
            audience=[],
            presenters="",
            lived_experience=False,
            cpd_minutes=0,
        )

    assert race(race_app, made, CourseEvent, event.id, save) == ["conflict", "saved"]
    saved = fresh(race_app, CourseEvent, event.id)
    assert saved.version == event.version + 1
    assert (saved.title, saved.capacity) in {("Saved by person 1", 11), ("Saved by person 2", 12)}


def test_two_saves_of_one_training_session_keep_exactly_one(race_app, made, actor):
    event = made.event()
    session = event.sessions[0]
    day = today_london() + timedelta(days=30)

    def save(obj, version, person, who):
        training_services.reschedule_session(
            obj,
            version,
            person,
            title=f"Moved by person {who}",
            **training_services.session_times(day, time(9 + who), time(15)),
            venue=f"Room {who}",
            online_link="",
        )

    assert race(race_app, made, TrainingSession, session.id, save) == ["conflict", "saved"]
    saved = fresh(race_app, TrainingSession, session.id)
    assert saved.version == session.version + 1
    assert (saved.title, saved.venue) in {("Moved by person 1", "Room 1"), ("Moved by person 2", "Room 2")}


def test_two_saves_of_one_evaluation_form_keep_exactly_one(race_app, made, actor):
    form = made.evaluation_form()

    def save(obj, version, person, who):
        evaluation_services.save_form_details(obj, version, person, f"Named by person {who}", "")

    assert race(race_app, made, EvaluationForm, form.id, save) == ["conflict", "saved"]
    saved = fresh(race_app, EvaluationForm, form.id)
    assert saved.version == form.version + 1
    assert saved.name in {"Named by person 1", "Named by person 2"}


def test_two_saves_of_one_evaluation_question_keep_exactly_one(race_app, made, actor):
    form = made.evaluation_form()
    question = sorted(form.questions, key=lambda q: q.position)[0]

    def save(obj, version, person, who):
        evaluation_services.save_question(
            obj,
            question.id,
            version,
            person,
            kind=QuestionKind.FREE_TEXT,
            text=f"Asked by person {who}",
            hint="",
            required=False,
            options=[],
        )

    assert race(race_app, made, EvaluationForm, form.id, save) == ["conflict", "saved"]
    assert fresh(race_app, EvaluationForm, form.id).version == form.version + 1
    assert fresh(race_app, Question, question.id).text in {"Asked by person 1", "Asked by person 2"}
