"""Certificates: what each says, the PDF, emailing them once an event's outcomes are set, and checking
a certificate by its verification code.

Only a Completed enrolment has a certificate (`rules.certificate_kind`). Its code (`codes`) is printed
on it; anyone may check the code on the public page, which shows only the name, the course and the
date. The email carries the certificate as a PDF attachment (trainees need no account), and says where
account holders can download it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app, render_template, request, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth import rules as auth_rules
from tracker.auth.models import LoginAttempt
from tracker.core import audit, mail, settings
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.timeutil import london, today_london
from tracker.core.types import utcnow
from tracker.training import codes, pdf, rules
from tracker.training.models import CourseEvent, Enrolment, EnrolmentStatus, Trainee


def check_address() -> str:
    """Where a certificate's code can be checked, as printed on it."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("certificates.check")


def kind(enrolment: Enrolment) -> str | None:
    return rules.certificate_kind(
        enrolment.event.is_chair_course, enrolment.status is EnrolmentStatus.COMPLETED
    )


def certificate_for(enrolment: Enrolment) -> pdf.Certificate | None:
    """What the person's certificate says, or None when they have none (not Completed)."""
    event = enrolment.event
    certificate_kind = kind(enrolment)
    if certificate_kind is None:
        return None
    return pdf.Certificate(
        kind=certificate_kind,
        name=enrolment.trainee.name,
        agency=enrolment.trainee.agency.name,
        course=event.course.title,
        event=event.title,
        days=[london(s.starts_at).date() for s in event.scheduled_sessions],
        pillar=event.pillar.label if event.pillar else None,
        cpd_minutes=enrolment.cpd_minutes if event.earns_cpd else 0,
        lived_experience=event.lived_experience,
        code=codes.display(enrolment.certificate_code) if enrolment.certificate_code else None,
    )


def certificates_pdf(certificates: list[pdf.Certificate], title: str) -> bytes:
    return pdf.certificates_pdf(
        certificates,
        area=settings.get("area_name"),
        issued=today_london(),
        title=title,
        check_at=check_address(),
    )


def one_pdf(enrolment: Enrolment, certificate: pdf.Certificate) -> bytes:
    event = enrolment.event
    title = f"{certificate.heading}: {certificate.name}, {event.course.title} ({event.title})"
    return certificates_pdf([certificate], title)


# Emailing ------------------------------------------------------------------------------------------


def send_due(event: CourseEvent) -> int:
    """Email each person who completed the (closed) event the certificate not yet sent to them; return
    how many. Run again, it sends nothing twice."""
    due = db.session.exec(
        select(Enrolment)
        .where(
            Enrolment.event_id == event.id,
            Enrolment.status == EnrolmentStatus.COMPLETED,
            col(Enrolment.certificate_sent_at).is_(None),
        )
        .options(selectinload(Enrolment.trainee).selectinload(Trainee.user))
        .order_by(col(Enrolment.id))
    ).all()
    sent = 0
    for enrolment in due:
        certificate = certificate_for(enrolment)
        if certificate is None:
            continue
        _email(enrolment, certificate)
        enrolment.certificate_sent_at = utcnow()
        sent += 1
    db.session.flush()
    return sent


def withdraw_sent(enrolments: list[Enrolment]) -> int:
    """Tell each person whose certificate was emailed, and whose completion a correction has since undone,
    that it no longer stands (its code no longer verifies), and forget that it was sent, so that a
    completion given back sends it again. Returns how many were told."""
    told = 0
    for enrolment in enrolments:
        if enrolment.status is EnrolmentStatus.COMPLETED or enrolment.certificate_sent_at is None:
            continue
        event, trainee = enrolment.event, enrolment.trainee
        message = mail.new_message(trainee.email, f"Your certificate no longer stands: {event.course.title}")
        message.set_content(
            render_template(
                "training/email/certificate_withdrawn.txt",
                name=trainee.name,
                enrolment=enrolment,
                event=event,
                code=codes.display(enrolment.certificate_code or ""),
                check_link=check_address(),
            )
        )
        summary = f"certificate withdrawn for event {event.id} to {trainee.email}"
        mail.queue(message, about=enrolment, summary=summary)
        audit.record(
            "certificate withdrawn",
            enrolment,
            summary=f"{enrolment.status.label}: the certificate emailed no longer stands; the holder told",
        )
        enrolment.certificate_sent_at = None
        told += 1
    db.session.flush()
    return told


def _email(enrolment: Enrolment, certificate: pdf.Certificate) -> None:
    event, trainee = enrolment.event, enrolment.trainee
    message = mail.new_message(trainee.email, f"Your certificate: {event.course.title}")
    base = current_app.config["BASE_URL"].rstrip("/")
    message.set_content(
        render_template(
            "training/email/certificate.txt",
            name=trainee.name,
            certificate=certificate,
            event=event,
            has_account=trainee.user_id is not None,
            record_link=base + url_for("training.my_record"),
            check_link=check_address(),
        )
    )
    filename = f"certificate-{_slug(event.title)}.pdf"
    message.add_attachment(
        one_pdf(enrolment, certificate), maintype="application", subtype="pdf", filename=filename
    )
    mail.queue(message, about=enrolment, summary=f"certificate for event {event.id} to {trainee.email}")
    audit.record("certificate sent", enrolment, summary=f"{certificate.heading} emailed")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "event"


# Checking a code ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    """All the public page shows of a certificate: that it stands (completed on a day), or that it was
    `withdrawn` (on a day, where the trail still says when) because a correction undid the completion."""

    name: str
    course: str
    completed_on: date | None
    withdrawn: bool = False
    withdrawn_on: date | None = None


# Checks are recorded beside sign-in attempts, under their own outcomes, so they never count against
# anyone's sign-in (nor sign-ins against checks).
_CHECK = "certificate check"
_COUNTED = ("check", "check failed")


def check_code(typed: str) -> tuple[str | None, Verified | None]:
    """Check a code from the public page, throttled like sign-in: a network address that has tried
    LOGIN_MAX_FAILURES_PER_ADDRESS unknown codes within the window is refused for a while. Returns
    (the refusal to show, or None; the certificate, or None when there is no such certificate).

    Each check is claimed (recorded and counted) and committed before the code is looked up, one at a
    time per address, so checks sent at once cannot overrun the limit."""
    address = request.remote_addr or "unknown"
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"certificate check {address}"}
        )
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    now = utcnow()
    failures = db.session.exec(
        select(LoginAttempt.at).where(
            LoginAttempt.ip_address == address,
            LoginAttempt.email == _CHECK,
            LoginAttempt.at > now - window,
            col(LoginAttempt.outcome).in_(_COUNTED),
        )
    ).all()
    limit = config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    wait = auth_rules.minutes_until_allowed(failures, now=now, limit=limit, window=window)
    attempt = LoginAttempt(email=_CHECK, ip_address=address, outcome="check refused" if wait else "check")
    db.session.add(attempt)
    db.session.commit()
    if wait:
        minutes = "1 minute" if wait == 1 else f"{wait} minutes"
        return f"There have been too many checks from your network. Wait {minutes}, then try again", None
    found = verify(typed)
    if found is None:
        attempt.outcome = "check failed"
    else:
        attempt.outcome = "check withdrawn" if found.withdrawn else "check found"
    return None, found


def verify(typed: str) -> Verified | None:
    """The certificate with this code, if there is one: standing while its holder's outcome is Completed,
    else withdrawn (a code is given only at completion and kept, so one whose enrolment is no longer
    Completed belongs to a certificate a correction has withdrawn)."""
    code = codes.normalise(typed)
    if code is None:
        return None
    enrolment = db.session.exec(
        select(Enrolment)
        .where(Enrolment.certificate_code == code)
        .options(
            selectinload(Enrolment.trainee), selectinload(Enrolment.event).selectinload(CourseEvent.course)
        )
    ).first()
    if enrolment is None:
        return None
    name, course = enrolment.trainee.name, enrolment.event.course.title
    if enrolment.status is EnrolmentStatus.COMPLETED:
        return Verified(name, course, enrolment.completed_on)
    return Verified(name, course, None, withdrawn=True, withdrawn_on=_withdrawn_on(enrolment))


def _withdrawn_on(enrolment: Enrolment) -> date | None:
    """The day the certificate was withdrawn, from the trail: the latest change to the enrolment's
    outcome, or the day its holder was told (None when the trail no longer has either)."""
    at = db.session.scalar(
        select(AuditEvent.at)
        .where(
            AuditEvent.object_type == "Enrolment",
            AuditEvent.object_id == str(enrolment.id),
            sa.or_(
                AuditEvent.action == "certificate withdrawn",
                sa.and_(AuditEvent.action == "update", col(AuditEvent.summary).like("%changed:%status%")),
            ),
        )
        .order_by(col(AuditEvent.at).desc())
        .limit(1)
    )
    return london(at).date() if at else None
