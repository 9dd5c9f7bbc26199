"""Uploading a file of people to enrol, and a chair already trained (pages are read with tests.pages)."""

import io
from datetime import timedelta

from tracker.core.timeutil import today_london
from tracker.training.models import EnrolmentStatus, Trainee, TraineeRole


def upload_people(client, event, rows: list[str]):
    """Upload a CSV of people to enrol on `event` (each row "name,email,agency", under the header row);
    the page it leads to."""
    text = "name,email,agency\n" + "\n".join(rows) + "\n"
    return client.post(
        f"/training/events/{event.id}/upload",
        data={"file": (io.BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def trained_chair(factory, **fields) -> Trainee:
    """A chair who completed chair training a month ago and has no account."""
    trainee = factory.trainee(**fields)
    day = today_london() - timedelta(days=30)
    event = factory.event(days=[day - timedelta(days=1), day])
    factory.enrolment(
        event, trainee, EnrolmentStatus.COMPLETED, TraineeRole.CHAIR, completed_on=day, sessions_attended=2
    )
    return trainee
