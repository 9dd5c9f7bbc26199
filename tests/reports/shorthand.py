"""Short names the reports' tests use to write case histories as tables: the kinds of event, levels and
categories."""

from tracker.meetings.models import CaseEventKind, Category, Level

R, C, IN, OUT, X = (
    CaseEventKind.REFERRED,
    CaseEventKind.LEVEL_CHANGED,
    CaseEventKind.RECALLED,
    CaseEventKind.RELEASED,
    CaseEventKind.EXITED,
)
L1, L2, L3 = Level.LEVEL_1, Level.LEVEL_2, Level.LEVEL_3
C1, C2, C3, C4 = Category.CATEGORY_1, Category.CATEGORY_2, Category.CATEGORY_3, Category.CATEGORY_4
