"""Certificates of attendance and completion, one person's or a whole event's, as PDF."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from tracker.core import audit, settings
from tracker.core.downloads import download
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import london, today_london
from tracker.training import listings, loaders, pdf
from tracker.training.models import (
    Enrolment,
)
from tracker.training.views import bp
from tracker.training.views.common import certificate_kind, slug


def _certificate(enrolment: Enrolment) -> pdf.Certificate | None:
    event = enrolment.event
    kind = certificate_kind(enrolment)
    if kind is None:
        return None
    return pdf.Certificate(
        kind=kind,
        name=enrolment.trainee.name,
        agency=enrolment.trainee.agency.name,
        course=event.course.title,
        event=event.title,
        days=[london(s.starts_at).date() for s in event.scheduled_sessions],
        pillar=event.pillar.label if event.pillar else None,
        cpd_minutes=enrolment.cpd_minutes,
        lived_experience=event.lived_experience,
    )


@bp.route("/enrolments/<int:enrolment_id>/certificate.pdf")
@requires()
def certificate(enrolment_id: int):
    enrolment = loaders.enrolment_to_view(enrolment_id)
    certificate = _certificate(enrolment) or abort(404)
    event = enrolment.event
    title = f"{certificate.heading}: {certificate.name}, {event.course.title} ({event.title})"
    data = pdf.certificates_pdf(
        [certificate], area=settings.get("area_name"), issued=today_london(), title=title
    )
    audit.record("export", enrolment, summary=f"PDF {certificate.heading.lower()}")
    return download(data, "application/pdf", f"certificate-{slug(event.title)}-{slug(certificate.name)}.pdf")


@bp.route("/events/<int:event_id>/certificates.pdf")
@requires(Permission.MANAGE_TRAINING)
def event_certificates(event_id: int):
    event = loaders.event_to_manage(event_id)
    enrolments = listings.register_enrolments(event.id)
    certificates = [c for c in (_certificate(e) for e in enrolments) if c is not None]
    if not certificates:
        flash("No one has a certificate for this event yet: mark the registers first.")
        return redirect(url_for("training.event_view", event_id=event.id))
    data = pdf.certificates_pdf(
        certificates,
        area=settings.get("area_name"),
        issued=today_london(),
        title=f"Certificates: {event.course.title} ({event.title})",
    )
    audit.record("export", event, summary=f"PDF certificates for {len(certificates)} people")
    return download(data, "application/pdf", f"certificates-{slug(event.title)}.pdf")
