"""Chair records: which levels of meeting each chair may chair."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.types import utcnow
from tracker.meetings.models import ChairProfile, Level


def save_chair_profile(chair: User, grade: str, levels: list[str], by: User) -> ChairProfile:
    """`levels`: the names of the levels the chair may chair."""
    profile = db.session.get(ChairProfile, chair.id) or ChairProfile(user_id=chair.id)
    profile.grade = grade
    profile.may_chair_level_2 = Level.LEVEL_2.name in levels
    profile.may_chair_level_3 = Level.LEVEL_3.name in levels
    profile.updated_at = utcnow()
    db.session.add(profile)
    return profile
