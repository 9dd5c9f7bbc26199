"""Certificates of attendance and completion, one person's or a whole event's, as PDF."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from tracker.core import audit
from tracker.core.downloads import download
from tracker.core.permissions import Permission, requires
from tracker.training import certificates, listings, loaders
from tracker.training.views import bp
from tracker.training.views.common import slug


@bp.route("/enrolments/<int:enrolment_id>/certificate.pdf")
@requires()
def certificate(enrolment_id: int):
    enrolment = loaders.enrolment_to_view(enrolment_id)
    certificate = certificates.certificate_for(enrolment) or abort(404)
    data = certificates.one_pdf(enrolment, certificate)
    audit.record("export", enrolment, summary=f"PDF {certificate.heading.lower()}")
    return download(
        data, "application/pdf", f"certificate-{slug(enrolment.event.title)}-{slug(certificate.name)}.pdf"
    )


@bp.route("/events/<int:event_id>/certificates.pdf")
@requires(Permission.MANAGE_TRAINING)
def event_certificates(event_id: int):
    event = loaders.event_to_manage(event_id)
    enrolments = listings.register_enrolments(event.id)
    found = [c for c in (certificates.certificate_for(e) for e in enrolments) if c is not None]
    if not found:
        flash("No one has a certificate for this event yet: mark the registers first.")
        return redirect(url_for("training.event_view", event_id=event.id))
    data = certificates.certificates_pdf(found, f"Certificates: {event.course.title} ({event.title})")
    audit.record("export", event, summary=f"PDF certificates for {len(found)} people")
    return download(data, "application/pdf", f"certificates-{slug(event.title)}.pdf")
