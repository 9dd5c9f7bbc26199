"""Access to retention reviews and legal holds: the co-ordinator only (a Category 4 case's review and hold
only to a co-ordinator cleared for it, as with every Category 4 page)."""

from tests.access_cases import Case, World, post
from tracker.core.timeutil import today_london
from tracker.retention.models import RecordKind, RetentionReview

COORDINATOR = frozenset({"COORDINATOR"})


def build(world: World, factory) -> None:
    case = factory.case()
    world.objects["retention_case"] = case
    world.objects["retention_review"] = factory.save(
        RetentionReview(kind=RecordKind.CASE, record_id=case.id, rule="case-age", due_on=today_london())
    )


CASES = [
    Case("retention.review_list", "/retention/", COORDINATOR),
    Case("retention.review_view", lambda w: f"/retention/reviews/{w.retention_review.id}", COORDINATOR),
    post(
        "retention.review_retain", lambda w: f"/retention/reviews/{w.retention_review.id}/retain", COORDINATOR
    ),
    post(
        "retention.review_dispose",
        lambda w: f"/retention/reviews/{w.retention_review.id}/dispose",
        COORDINATOR,
    ),
    Case("retention.legal_hold", lambda w: f"/retention/cases/{w.retention_case.id}/legal-hold", COORDINATOR),
    post(
        "retention.legal_hold_lift",
        lambda w: f"/retention/cases/{w.retention_case.id}/legal-hold/lift",
        COORDINATOR,
    ),
]
