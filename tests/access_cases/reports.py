"""Access to the Board's reports: SMB members, lay advisers and the co-ordinator see the dashboard and the
annual report; the co-ordinator enters figures and assigns audits; a named auditor (here the world's
chair, auditing someone else's meeting) opens and scores their audit."""

from tests.access_cases import CASEWORK, Case, World, get_and_post, post
from tracker.core.timeutil import today_london
from tracker.reports.models import AuditCriterion, AuditStatus
from tracker.reports.rules import reporting_year_of

REPORTS = frozenset({"SMB", "LAY_ADVISER", "COORDINATOR"})
COORDINATOR = frozenset({"COORDINATOR"})
AUDITORS = frozenset({"COORDINATOR", "CHAIR"})


def build(world: World, factory) -> None:
    other_chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=other_chair)
    done = factory.held_meeting(chair=other_chair, days_ago=10)
    world.objects["audit"] = factory.meeting_audit(meeting, world.users["CHAIR"])
    world.objects["completed_audit"] = factory.meeting_audit(
        done, world.users["CHAIR"], AuditStatus.COMPLETED, {c: 3 for c in AuditCriterion}
    )


YEAR = reporting_year_of(today_london()).start_year

CASES = [
    Case("reports.index", "/reports/", REPORTS),
    Case("reports.annual_report", "/reports/annual-report", REPORTS),
    Case("reports.annual_report_pdf", f"/reports/annual-report/{YEAR}.pdf", REPORTS),
    Case("reports.annual_report_csv", f"/reports/annual-report/{YEAR}.csv", REPORTS),
    *get_and_post("reports.figures_edit", f"/reports/annual-report/{YEAR}/figures", COORDINATOR, data={}),
    Case("reports.audit_list", "/reports/audits", CASEWORK),
    *get_and_post("reports.audit_sample", "/reports/audits/sample", COORDINATOR, data={}),
    *get_and_post("reports.audit_view", lambda w: f"/reports/audits/{w.audit.id}", AUDITORS, data={}),
    post("reports.audit_withdraw", lambda w: f"/reports/audits/{w.completed_audit.id}/withdraw", COORDINATOR),
]
