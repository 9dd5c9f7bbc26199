"""The demo's training figures: the reporting year it seeds, and the three demo chairs at each stage."""

from __future__ import annotations

from sqlmodel import select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.pillars import Pillar
from tracker.training import overview, queries, rules


def test_the_demo_shows_the_seed_years_figures_and_the_three_demo_chairs(demo):
    chairs = {u.email.split("@")[0]: u.id for u in db.session.exec(select(User))}
    figures = overview.year_figures(rules.ReportingYear(2024))
    assert figures.chair_courses == 3
    assert figures.new_chairs == 57
    assert [(f.starts_at.month, f.pillar, f.participants) for f in figures.forums] == [
        (6, Pillar.INTERVENTIONS_AND_TREATMENT, 55),
        (12, Pillar.MONITORING_AND_CONTROL, 52),
    ]
    assert figures.forum_participants == 107
    statuses = queries.chair_statuses([chairs["chair"], chairs["claire.donovan"], chairs["imran.hussain"]])
    assert statuses[chairs["chair"]].state is rules.ChairState.TRAINED
    assert not statuses[chairs["chair"]].cpd_due_soon
    assert statuses[chairs["claire.donovan"]].state is rules.ChairState.AWAITING_TRAINING
    assert statuses[chairs["imran.hussain"]].cpd_due_soon
