"""Changes an admin makes to agencies: adding one, and saving its details (a new secure mailbox waits for a
second admin, `grants.ask_mailbox`)."""

from __future__ import annotations

from sqlmodel import col, func, select

from tracker.admin import grants
from tracker.admin.services import Refused
from tracker.auth.models import Agency, AgencySector, MailboxChange, User
from tracker.core.db import db
from tracker.core.permissions import Permission


def add_agency(
    actor: User, name: str, sector: AgencySector, secure_mailbox: str
) -> tuple[Agency, MailboxChange | None]:
    """A new agency, with no secure mailbox in force: a mailbox given waits for a second admin, as a new
    one for an agency already listed does (`grants.ask_mailbox`; returned), or one admin alone could add
    an agency whose invitations and links to minutes go to an address he reads."""
    agency = Agency(name=name, sector=sector, secure_mailbox="")
    db.session.add(agency)
    db.session.flush()
    mailbox = secure_mailbox.strip().lower()
    return agency, grants.ask_mailbox(actor, agency, mailbox) if mailbox else None


def update_agency(
    actor: User, agency: Agency, name: str, sector: AgencySector, secure_mailbox: str, active: bool
) -> MailboxChange | None:
    """Save an agency's details. It becomes one that holds no case records only if it holds none: no one
    in it reads them, and it owns no open action, leads no case and is invited to no meeting to come. It
    is deactivated only once it has no work left: no case still managed that it leads, no open action it
    owns and no active account (an inactive agency drops out of the lists those are moved with).

    A new secure mailbox waits for a second admin (`grants.ask_mailbox`; returned): whoever reads it reads
    the agency's invitations and links to minutes. Taking the mailbox away is saved at once."""
    if agency.sector.holds_case_records and not sector.holds_case_records:
        _ensure_holds_no_case_records(agency)
    if agency.active and not active:
        _ensure_has_no_work_left(agency)
    agency.name = name
    agency.sector = sector
    agency.active = active
    mailbox = secure_mailbox.strip().lower()
    if not mailbox:
        grants.withdraw_mailbox(actor, agency)
        agency.secure_mailbox = ""
        return None
    return grants.ask_mailbox(actor, agency, mailbox)


def _ensure_holds_no_case_records(agency: Agency) -> None:
    from tracker.meetings.models import Action, ActionStatus, Case, Invitation, Meeting, MeetingStatus

    people = db.session.exec(select(User).where(User.agency_id == agency.id, col(User.active).is_(True)))
    readers = sorted(user.name for user in people if user.can(Permission.VIEW_CASE_DATA))
    to_come = select(Meeting.id).where(Meeting.status == MeetingStatus.SCHEDULED)
    held = [
        (Action, col(Action.owner_agency_id) == agency.id, col(Action.status) == ActionStatus.OPEN),
        (Case, col(Case.lead_agency_id) == agency.id),
        (Invitation, col(Invitation.agency_id) == agency.id, col(Invitation.meeting_id).in_(to_come)),
    ]
    holds = any(
        db.session.exec(select(model.id).where(*conditions).limit(1)).first() for model, *conditions in held
    )
    if readers or holds:
        more = " and others" if len(readers) > 3 else ""
        who = f" ({', '.join(readers[:3])}{more} read them)" if readers else ""
        raise Refused(
            f"{agency.name} holds case records{who}: it leads cases, owns open actions, is invited to "
            "meetings to come or has people who read them. Move those first",
            field="sector",
        )


def _ensure_has_no_work_left(agency: Agency) -> None:
    from tracker.meetings.models import Action, ActionStatus, Case, CaseStatus

    def count(model, *conditions) -> int:
        return db.session.exec(select(func.count(model.id)).where(*conditions)).one()

    work = [
        (
            "leads",
            "case",
            "still managed",
            count(Case, col(Case.lead_agency_id) == agency.id, col(Case.status) != CaseStatus.EXITED),
        ),
        (
            "owns",
            "open action",
            "",
            count(Action, col(Action.owner_agency_id) == agency.id, col(Action.status) == ActionStatus.OPEN),
        ),
        (
            "has",
            "active account",
            "",
            count(User, col(User.agency_id) == agency.id, col(User.active).is_(True)),
        ),
    ]
    held = [f"{verb} {n} {noun}{'' if n == 1 else 's'} {tail}".strip() for verb, noun, tail, n in work if n]
    if held:
        listed = held[0] if len(held) == 1 else f"{', '.join(held[:-1])} and {held[-1]}"
        raise Refused(
            f"{agency.name} cannot be made inactive: it still {listed}. Move those to another agency first "
            "(or deactivate the accounts)",
            field="active",
        )
