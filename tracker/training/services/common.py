"""The errors the training services raise, and what several of them share."""

from __future__ import annotations


class AlreadyEnrolled(ValueError):
    pass


class TooFewPlaces(ValueError):
    """An event's places cannot go below the number of people who already have one."""

    def __init__(self, taken: int):
        super().__init__(f"Places must be {taken} or more: {taken} people already have a place")
        self.taken = taken


class UploadHasErrors(ValueError):
    pass


class UploadAlreadyUsed(ValueError):
    """An upload already confirmed: its people were enrolled from it once, and a second confirmation
    (the page sent again, or the button pressed twice) enrols nobody."""


# The trail entry a confirmed upload leaves on its event, and its summary's opening, which names the upload
# once the upload itself is gone (`loaders.used_upload`).
UPLOAD_ENROLLED = "enrolled from upload"


def upload_named(upload_id: int) -> str:
    return f"upload {upload_id}:"


class BreaksEnrolmentRule(ValueError):
    """The person holds a place elsewhere on the course, or is a completed chair on a chair course:
    enrolling them needs the TRSG's reason for overriding the rule."""


class RoleRefused(ValueError):
    """The person may not attend in the capacity asked for (`rules.role_refused`)."""


class OutcomesSet(ValueError):
    """An event whose outcomes are set has its sessions fixed: a session added, cancelled or moved would
    change who completed, when, and the figures already reported, unseen."""

    def __init__(self, title: str, done: str = "added"):
        super().__init__(
            f"The outcomes of {title} are set, so no session can be {done}: correct a register instead, or "
            "set up another event"
        )


class EnrolmentClosed(ValueError):
    """An event whose outcomes are set has no places left to give: its waiting list is closed, and a
    person added now would hold a place on sessions already over, with no outcome."""

    def __init__(self, title: str):
        super().__init__(
            f"The outcomes of {title} are set, so nobody can be enrolled on it: enrol them on another event"
        )


class OutcomesFixed(ValueError):
    """An event whose outcomes are set keeps what its completed records and the reported figures count:
    its CPD hours, its kind and its pillar. `field`: the form field it is about."""

    def __init__(self, title: str, what: str, field: str):
        super().__init__(
            f"The outcomes of {title} are set, so its {what} cannot change: the records of those who "
            "completed it, and the figures already reported, count them"
        )
        self.field = field


class RegisterTaken(ValueError):
    """A session whose register has been taken happened on its day: moving it to another would change the
    day its people attended, and the dates they completed on."""

    def __init__(self, held_on: str):
        super().__init__(
            f"Its register has been taken, so it cannot move to another day: it took place on {held_on}"
        )


def assign_fields(obj, details: dict) -> None:
    for name, value in details.items():
        setattr(obj, name, value)
