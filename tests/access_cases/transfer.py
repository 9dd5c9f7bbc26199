"""Access to the whole-area export (the system admin only; the POST is generated from this GET case) and to
bringing a caseload and its history (past meetings, open actions) in: the co-ordinator only, each upload only by
the person who made it."""

from tests.access_cases import Case, World, post
from tracker.transfer.models import CaseloadUpload

SYSTEM_ADMIN = frozenset({"SYSTEM_ADMIN"})
COORDINATOR = frozenset({"COORDINATOR"})


def build(world: World, factory) -> None:
    world.objects["caseload_upload"] = factory.save(
        CaseloadUpload(created_by_id=world.users["COORDINATOR"].id, filename="caseload.csv", rows=[])
    )


CASES = [
    Case("transfer.export_area", "/admin/export", SYSTEM_ADMIN),
    Case("transfer.caseload_upload", "/cases/import", COORDINATOR),
    Case("transfer.caseload_template", "/cases/import/template.csv", COORDINATOR),
    Case("transfer.history_upload", "/cases/import/meetings", COORDINATOR),
    Case("transfer.history_template", "/cases/import/actions/template.csv", COORDINATOR),
    Case("transfer.caseload_preview", lambda w: f"/cases/import/{w.caseload_upload.id}", COORDINATOR),
    post("transfer.caseload_import", lambda w: f"/cases/import/{w.caseload_upload.id}/import", COORDINATOR),
]
