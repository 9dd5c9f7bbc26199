"""The public page that checks a certificate by its verification code: no sign-in, throttled like
sign-in, and saying only whether there is such a certificate (name, course, date), whether it was
withdrawn (name, course, the day), or not."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.core.permissions import public
from tracker.training import certificates, codes
from tracker.training.forms import CheckCertificateForm

public_bp = Blueprint("certificates", __name__, url_prefix="/certificates")

NOT_FOUND = "There is no certificate with this code. Check it is typed as printed on the certificate"


@public_bp.route("/check", methods=["GET", "POST"])
@public
def check():
    form = CheckCertificateForm()
    found = None
    if form.validate_on_submit():
        if codes.normalise(form.code.data) is None:
            form.code.errors.append(
                "Enter the code as printed on the certificate: 10 letters and numbers, like 7KQ2M-XH93D"
            )
        else:
            refusal, found = certificates.check_code(form.code.data)
            if refusal:
                form.code.errors.append(refusal)
            elif found is None:
                form.code.errors.append(NOT_FOUND)
    return render_template("training/check_certificate.html", form=form, found=found)
