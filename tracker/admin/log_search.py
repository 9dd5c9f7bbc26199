"""The log review's queries: a search of the audit trail by person, case, operation, reason and dates, and
the entries the unusual-pattern rules read. Every query keeps to the entries the reader may see (Category 4
cases only for those cleared: `access.audit_condition`), runs on an index and is paginated in SQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.admin import rules
from tracker.admin.forms import AuditSearchForm
from tracker.auth.models import User
from tracker.core import audit, reasons, settings
from tracker.core.db import db
from tracker.core.models import AuditEvent, AuditEventCase
from tracker.core.timeutil import LONDON
from tracker.core.types import utcnow
from tracker.meetings import access
from tracker.meetings.models import AgendaItem, Case

# A CSV of the log for a data protection request holds at most this many entries (narrow the search).
CSV_LIMIT = 100_000
# A search by person looks at most this many matching people (a name typed in full finds one).
PEOPLE_LIMIT = 50


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC)


def visible_entries(user: User) -> sa.Select:
    """The entries this person may read, newest first."""
    return (
        select(AuditEvent)
        .where(access.audit_condition(user))
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    )


def listed_reasons() -> set[str]:
    """The reasons of the area's two lists, which are searched for exactly (on the index)."""
    texts = (settings.get("consultation_reasons"), settings.get("disclosure_reasons"))
    return {value for text in texts for value, _label in reasons.choices(text) if value != reasons.OTHER}


def search(user: User, form: AuditSearchForm) -> sa.Select:
    """The entries matching the search, of those this person may read (none if the search is invalid)."""
    statement = visible_entries(user)
    if not form.validate():
        return statement.where(sa.false())
    if form.person.data:
        pattern = f"%{form.person.data.strip().lower()}%"
        # The people are found first, so that the trail is read through its (user, time) index.
        people = db.session.scalars(
            sa.select(User.id)
            .where(sa.or_(sa.func.lower(User.name).like(pattern), sa.func.lower(User.email).like(pattern)))
            .limit(PEOPLE_LIMIT)
        ).all()
        # No account matches: entries of no account (a command, "anonymous") by the actor's label.
        statement = statement.where(
            col(AuditEvent.user_id).in_(people) if people else sa.func.lower(AuditEvent.actor).like(pattern)
        )
    if form.case.data:
        # The case's own entries, those about a meeting that discussed it and no one case (its minutes or
        # agenda sent on, its meeting page read), and the list pages that showed it: a request about a
        # person finds them all.
        case_ids = select(Case.id).where(Case.reference == form.case.data.strip().upper())
        meetings = select(AgendaItem.meeting_id).where(col(AgendaItem.case_id).in_(case_ids))
        statement = statement.where(
            sa.or_(
                col(AuditEvent.case_id).in_(case_ids),
                sa.and_(col(AuditEvent.case_id).is_(None), col(AuditEvent.meeting_id).in_(meetings)),
                col(AuditEvent.id).in_(_lists_showing(user, form.case.data)),
            )
        )
    if form.action.data:
        statement = statement.where(AuditEvent.action == form.action.data)
    if form.reason.data:
        wanted = form.reason.data.strip()
        statement = statement.where(
            AuditEvent.reason == wanted
            if wanted in listed_reasons()
            else sa.func.lower(AuditEvent.reason).like(f"%{wanted.lower()}%")
        )
    if form.object_type.data:
        statement = statement.where(AuditEvent.object_type == form.object_type.data.strip())
    if form.object_id.data:
        statement = statement.where(AuditEvent.object_id == form.object_id.data.strip())
    if form.date_from.data:
        statement = statement.where(AuditEvent.at >= _start_of(form.date_from.data))
    if form.date_to.data:
        statement = statement.where(AuditEvent.at < _start_of(form.date_to.data + timedelta(days=1)))
    return statement


def _lists_showing(user: User, reference: str) -> sa.Select:
    """The entries of the list pages that showed the case with this reference, if this person may see the
    case. Such an entry is about no one case, so everyone who reads the trail reads it (as "page /cases"):
    only a search by a case they may see ties it to that case, so a search by a Category 4 case's
    reference by someone not cleared for it, or by the system admin, finds no list."""
    seen = select(Case.id).where(Case.reference == reference.strip().upper(), access.case_condition(user))
    return select(AuditEventCase.audit_event_id).where(col(AuditEventCase.case_id).in_(seen))


def listed_on_page(user: User, form: AuditSearchForm, entries: list[AuditEvent]) -> set[int]:
    """Of the entries on a page of a search by case, those of list pages that showed the case (one query,
    for the page): the page says so beside them."""
    if not form.case.data or not entries:
        return set()
    on_page = col(AuditEventCase.audit_event_id).in_([entry.id for entry in entries])
    return set(db.session.scalars(_lists_showing(user, form.case.data).where(on_page)))


def criteria(form: AuditSearchForm) -> str:
    """The search in words, for the log's own entry about it."""
    given = [f"{field.label.text.lower()} {field.data}" for field in form if field.data]
    return "; ".join(given) or "latest entries"


def searched_case_id(form: AuditSearchForm) -> int | None:
    """The case a search by reference named, if there is one: the log's entry about the search is that
    case's, so only those who may see the case read the reference in it."""
    if not form.case.data:
        return None
    return db.session.scalar(select(Case.id).where(Case.reference == form.case.data.strip().upper()))


def csv_rows(user: User, form: AuditSearchForm) -> list[sa.Row]:
    """The matching entries with their case's reference, newest first, for the CSV."""
    entries = search(user, form).limit(CSV_LIMIT).subquery()
    return _run(
        sa.select(entries, Case.reference)
        .outerjoin(Case, Case.id == entries.c.case_id)
        .order_by(entries.c.at.desc(), entries.c.id.desc())
    )


def _run(statement: sa.Select) -> list[sa.Row]:
    return list(db.session.execute(statement).all())


def unusual_patterns(user: User) -> tuple[list[rules.ManyCases], list[rules.BulkExport], datetime]:
    """The unusual patterns in the period the settings give, among the entries this person may read."""
    since = utcnow() - timedelta(days=settings.get("unusual_period_days"))
    visible = access.audit_condition(user)
    openings = _run(
        sa.select(AuditEvent.actor, AuditEvent.case_id)
        .distinct()
        .where(
            AuditEvent.action == "view",
            AuditEvent.justified_by == "reason",
            col(AuditEvent.case_id).is_not(None),
            AuditEvent.at >= since,
            visible,
        )
    )
    exports = _run(
        sa.select(AuditEvent.actor, AuditEvent.at).where(
            AuditEvent.action == "export",
            col(AuditEvent.user_id).is_not(None),
            AuditEvent.at >= since,
            visible,
        )
    )
    many = rules.many_cases_without_a_part(openings, settings.get("unusual_cases_opened"))
    bulk = rules.bulk_exports_out_of_hours(
        exports,
        settings.get("out_of_hours_exports"),
        settings.get("working_day_starts_hour"),
        settings.get("working_day_ends_hour"),
    )
    return many, bulk, since


def log_the_review(summary: str, case_id: int | None = None) -> None:
    """Consulting the log is itself logged (as about the case searched for, if one was)."""
    audit.record(
        "view",
        object_type="AuditTrail",
        summary=summary,
        justified_by="role",
        reason="reviewing the audit trail",
        case_id=case_id,
    )
