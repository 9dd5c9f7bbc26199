"""The enumerations of the meetings area, stored by name."""

from tracker.core.types import LabelledEnum

# Enumerations ------------------------------------------------------------------------------------


class Category(LabelledEnum):
    CATEGORY_1 = "Category 1"
    CATEGORY_2 = "Category 2"
    CATEGORY_3 = "Category 3"
    CATEGORY_4 = "Category 4"

    @property
    def number(self) -> int:
        return int(self.name[-1])

    @property
    def description(self) -> str:
        return CATEGORY_DESCRIPTIONS[self]


CATEGORY_DESCRIPTIONS = {
    Category.CATEGORY_1: "Subject to sex offender notification requirements",
    Category.CATEGORY_2: "Violent offenders sentenced to 12 months or more, or a hospital order",
    Category.CATEGORY_3: "Other dangerous offenders who pose a risk of serious harm",
    Category.CATEGORY_4: "Terrorism and terrorism-risk individuals",
}


class Level(LabelledEnum):
    LEVEL_1 = "Level 1"
    LEVEL_2 = "Level 2"
    LEVEL_3 = "Level 3"

    @property
    def number(self) -> int:
        return int(self.name[-1])

    @property
    def has_meetings(self) -> bool:
        """Levels 2 and 3 are managed through MAPPA meetings; Level 1 by the lead agency alone."""
        return self is not Level.LEVEL_1


MEETING_LEVELS = (Level.LEVEL_2, Level.LEVEL_3)


class CaseStatus(LabelledEnum):
    ACTIVE = "Active"
    IN_CUSTODY = "In custody"
    EXITED = "Exited MAPPA"


class CaseEventKind(LabelledEnum):
    REFERRED = "Referred"
    LEVEL_CHANGED = "Level changed"
    RECALLED = "Returned to custody (breach of licence)"
    CUSTODY_OTHER = "Returned to custody (new offence or remand)"
    RELEASED = "Released from custody"
    EXITED = "Exited MAPPA"


class MeetingType(LabelledEnum):
    INITIAL = "Initial"
    REVIEW = "Review"
    EMERGENCY = "Emergency"


class MeetingStatus(LabelledEnum):
    SCHEDULED = "Scheduled"
    HELD = "Held"
    CANCELLED = "Cancelled"


class AgendaPurpose(LabelledEnum):
    INITIAL = "Initial"
    REVIEW = "Review"


class Rsvp(LabelledEnum):
    AWAITING = "Not replied"
    ACCEPTED = "Attending"
    TENTATIVE = "Tentative"
    DECLINED = "Not attending"


class AttendanceStatus(LabelledEnum):
    PRESENT = "Present"
    APOLOGIES = "Apologies"
    ABSENT = "Absent"


class PillarStatus(LabelledEnum):
    ADDRESSED = "Addressed"
    NOT_APPLICABLE = "Not applicable"
    OUTSTANDING = "Outstanding"


class RiskLevel(LabelledEnum):
    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"
    VERY_HIGH = "Very high"


class Imminence(LabelledEnum):
    NOT_IMMINENT = "Not imminent: unlikely in the near future"
    IF_CIRCUMSTANCES_CHANGE = "Could happen if circumstances change"
    IMMINENT = "Imminent: could happen at any time"


class LevelDecision(LabelledEnum):
    RETAIN = "Retain at the current level"
    RAISE = "Raise the level"
    LOWER = "Lower the level"
    EXIT = "Exit MAPPA meeting management"


class ActionStatus(LabelledEnum):
    OPEN = "Open"
    DONE = "Done"
    # Closed without being done: it could not be done (the reason says why) ...
    DROPPED = "Could not be done"
    # ... or it was simply not done (the reason says what happened instead).
    NOT_DONE = "Not done"
    # Taken off the meeting's record before its minutes were approved: never agreed, never listed.
    REMOVED = "Removed"
