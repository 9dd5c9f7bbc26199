"""Who may see which evaluation invitation (the link to answer shown on the home page)."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.evaluations.models import EvaluationInvitation


def invitation_visible(invitation: EvaluationInvitation, user: User) -> bool:
    """A link shown in the app is for the person it was sent to, and nobody else."""
    return invitation.enrolment.trainee.user_id == user.id
