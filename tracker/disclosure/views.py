"""Disclosure pack pages: a case's packs, the task list of a draft, its request, documents, redactions and
agencies' agreement, extending the time to reply to a subject access request, checking and issuing it, and
the PDF (a draft's preview, or the issued copy).

Only the co-ordinator builds packs (Permission.DISCLOSE), and only for cases they may see: a Category 4
case's packs are for a co-ordinator cleared for terrorism cases.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for

from tracker.core import audit
from tracker.core.db import db
from tracker.core.downloads import download, to_themselves
from tracker.core.forms import ConfirmForm
from tracker.core.permissions import Permission, get_visible_or_404, requires
from tracker.core.timeutil import format_date, today_london
from tracker.disclosure import rules, services, sources
from tracker.disclosure.forms import (
    AgreementForm,
    DocumentsForm,
    ExtensionForm,
    IssueForm,
    RedactionForm,
    RequestForm,
)
from tracker.disclosure.models import DisclosurePack, PackDocument, PackPurpose, Redaction, RedactionReason
from tracker.meetings.models import Case

bp = Blueprint("disclosure", __name__)
PACK = "/cases/<int:case_id>/disclosure-packs/<int:pack_id>"


def _pack(case_id: int, pack_id: int) -> tuple[Case, DisclosurePack]:
    case = get_visible_or_404(Case, case_id)
    pack = db.session.get(DisclosurePack, pack_id)
    if pack is None or pack.case_id != case.id:
        abort(404)
    return case, pack


def _standing(pack: DisclosurePack) -> dict:
    """Where the pack stands, as its page and its check page show it: each agency's agreement, what stops
    its issue, for a draft the documents changed since they were chosen and, for a subject access request,
    the day its reply is due (and, for a draft, whether that day has passed)."""
    return {
        "standings": services.standings(pack),
        "problems": services.problems(pack),
        "superseded": [] if pack.is_issued else sources.superseded(pack),
        "reply": rules.reply(
            pack.purpose, pack.request_received_on, today_london(), pack.is_issued, pack.reply_extended
        ),
    }


def _to_pack(pack: DisclosurePack, endpoint: str = "disclosure.pack_view"):
    return redirect(url_for(endpoint, case_id=pack.case_id, pack_id=pack.id))


def _issued(pack: DisclosurePack):
    flash(services.ISSUED, "important")
    return _to_pack(pack)


def _pack_to_change(case_id: int, pack_id: int) -> tuple[Case, DisclosurePack]:
    """The case and its pack, still being prepared: an issued pack is not changed (back to its page,
    saying why)."""
    case, pack = _pack(case_id, pack_id)
    if pack.is_issued:
        abort(_issued(pack))
    return case, pack


def _document(pack: DisclosurePack, document_id: int) -> PackDocument:
    document = db.session.get(PackDocument, document_id)
    if document is None or document.pack_id != pack.id:
        abort(404)
    return document


@bp.route("/cases/<int:case_id>/disclosure-packs")
@requires(Permission.DISCLOSE)
def pack_list(case_id: int):
    case = get_visible_or_404(Case, case_id)
    audit.record("view", case, summary=f"disclosure packs of {case.reference}")
    return render_template("disclosure/list.html", case=case, packs=services.packs_for(case))


@bp.route("/cases/<int:case_id>/disclosure-packs/new", methods=["GET", "POST"])
@requires(Permission.DISCLOSE)
def pack_new(case_id: int):
    case = get_visible_or_404(Case, case_id)
    form = RequestForm(referred_on=case.referred_on)
    if form.validate_on_submit():
        purpose, received_on = PackPurpose[form.purpose.data], form.request_received_on.data
        pack = services.start_pack(
            case, form.requester.data, purpose, form.purpose_detail.data, g.user, received_on=received_on
        )
        return _to_pack(pack, "disclosure.pack_documents")
    return render_template("disclosure/request.html", form=form, case=case, pack=None)


@bp.route(PACK)
@requires(Permission.DISCLOSE)
def pack_view(case_id: int, pack_id: int):
    case, pack = _pack(case_id, pack_id)
    audit.record("view", pack)
    copy = services.issued_copy(pack) if pack.is_issued else None
    return render_template(
        "disclosure/pack.html",
        case=case,
        pack=pack,
        copy=copy,
        counts=services.withheld(pack),
        **_standing(pack),
    )


@bp.route(f"{PACK}/request", methods=["GET", "POST"])
@requires(Permission.DISCLOSE)
def pack_request(case_id: int, pack_id: int):
    case, pack = _pack_to_change(case_id, pack_id)
    form = RequestForm(
        obj=pack,
        purpose=pack.purpose.name,
        referred_on=case.referred_on,
        first_answer=services.first_answer(pack),
        told_on=pack.reply_extension_told_on,
    )
    if form.validate_on_submit():
        purpose, received_on = PackPurpose[form.purpose.data], form.request_received_on.data
        services.change_request(pack, form.requester.data, purpose, form.purpose_detail.data, received_on)
        return _to_pack(pack)
    return render_template("disclosure/request.html", form=form, case=case, pack=pack)


@bp.route(f"{PACK}/reply-extension", methods=["GET", "POST"])
@requires(Permission.DISCLOSE)
def reply_extension(case_id: int, pack_id: int):
    """Extend the time to reply to a subject access request: once, while the pack is a draft (otherwise
    back to the pack, saying why)."""
    case, pack = _pack(case_id, pack_id)
    refused = rules.extension_refused(pack.purpose, pack.is_issued, pack.reply_extended)
    if refused:
        flash(refused, "important")
        return _to_pack(pack)
    form = ExtensionForm(received_on=pack.request_received_on)
    if form.validate_on_submit():
        try:
            services.extend_reply(pack, form.told_on.data, form.reason.data)
        except services.Refused as refused_now:
            form.told_on.errors = [str(refused_now)]
        else:
            due = format_date(rules.extended_reply_due(pack.request_received_on))
            flash(f"The time to reply has been extended: the reply is now due by {due}.", "success")
            return _to_pack(pack)
    received = pack.request_received_on
    dates = {"first_due": rules.reply_due(received), "extended_due": rules.extended_reply_due(received)}
    return render_template("disclosure/extension.html", form=form, case=case, pack=pack, **dates)


@bp.route(f"{PACK}/documents", methods=["GET", "POST"])
@requires(Permission.DISCLOSE)
def pack_documents(case_id: int, pack_id: int):
    case, pack = _pack_to_change(case_id, pack_id)
    offered = sources.available(case)
    form = DocumentsForm(documents=[document.source for document in pack.documents])
    form.documents.choices = [(source.key, source.title) for source in offered]
    if form.validate_on_submit():
        services.choose_documents(pack, case, form.documents.data)
        return _to_pack(pack)
    return render_template("disclosure/documents.html", form=form, case=case, pack=pack, offered=offered)


@bp.route(f"{PACK}/documents/<int:document_id>")
@requires(Permission.DISCLOSE)
def document_view(case_id: int, pack_id: int, document_id: int):
    case, pack = _pack(case_id, pack_id)
    document = _document(pack, document_id)
    audit.record("view", document)
    found = services.spans(pack)
    shown = [
        (number, para["heading"], rules.segments(para["text"], found.get((document.id, number), [])))
        for number, para in enumerate(document.paragraphs)
    ]
    redactions = [r for r in pack.redactions if r.document_id == document.id]
    return render_template(
        "disclosure/document.html",
        case=case,
        pack=pack,
        document=document,
        shown=shown,
        redactions=redactions,
        codes=rules.CODES,
        form=ConfirmForm(),
    )


@bp.route(f"{PACK}/documents/<int:document_id>/paragraphs/<int:number>/redact", methods=["GET", "POST"])
@requires(Permission.DISCLOSE)
def redaction_new(case_id: int, pack_id: int, document_id: int, number: int):
    case, pack = _pack_to_change(case_id, pack_id)
    document = _document(pack, document_id)
    if number >= len(document.paragraphs):
        abort(404)
    form = RedactionForm()
    if form.validate_on_submit():
        marking = services.Marking(
            (form.passage.data or "").replace("\r\n", "\n"),  # a textarea posts CRLF line ends
            form.whole_paragraph.data,
            form.everywhere.data,
            RedactionReason[form.reason.data],
            (form.note.data or "").strip(),
        )
        try:
            marked = services.mark(pack, document, number, marking, g.user)
        except services.Refused as refused:
            form.passage.errors = [str(refused)]
        else:
            flash(f"{marked} passage{'s' if marked != 1 else ''} redacted.", "success")
            return redirect(
                url_for("disclosure.document_view", case_id=case.id, pack_id=pack.id, document_id=document.id)
            )
    found = services.spans(pack).get((document.id, number), [])
    paragraph = document.paragraphs[number]
    shown = rules.segments(paragraph["text"], found)
    return render_template(
        "disclosure/redact.html",
        form=form,
        case=case,
        pack=pack,
        document=document,
        number=number,
        paragraph=paragraph,
        shown=shown,
        raw=paragraph["text"],
    )


@bp.route(f"{PACK}/redactions/<int:redaction_id>/remove", methods=["POST"])
@requires(Permission.DISCLOSE)
def redaction_remove(case_id: int, pack_id: int, redaction_id: int):
    _case, pack = _pack(case_id, pack_id)
    redaction = db.session.get(Redaction, redaction_id)
    if redaction is None or redaction.pack_id != pack.id:
        abort(404)
    if pack.is_issued:
        return _issued(pack)
    services.unmark(pack, redaction)
    flash("Redaction removed: the passage will be disclosed.", "success")
    return redirect(
        url_for(
            "disclosure.document_view",
            case_id=pack.case_id,
            pack_id=pack.id,
            document_id=redaction.document_id,
        )
    )


@bp.route(f"{PACK}/agencies/<int:agency_id>", methods=["GET", "POST"])
@requires(Permission.DISCLOSE)
def agreement_edit(case_id: int, pack_id: int, agency_id: int):
    case, pack = _pack_to_change(case_id, pack_id)
    agency = next((a for a, _agreement in services.standings(pack) if a.id == agency_id), None) or abort(404)
    agreement = next((a for a in pack.agreements if a.agency_id == agency.id), None)
    form = AgreementForm(
        obj=agreement,
        agreed=None if agreement is None else ("yes" if agreement.agreed else "no"),
        answered_from=pack.request_received_on,
    )
    if form.validate_on_submit():
        agreed = form.agreed.data == "yes"
        reason = (form.override_reason.data or "").strip()
        services.record_agreement(
            pack, agency, agreed, form.agreed_by.data, form.agreed_on.data, reason, g.user
        )
        return _to_pack(pack)
    return render_template("disclosure/agreement.html", form=form, case=case, pack=pack, agency=agency)


@bp.route(f"{PACK}/check")
@requires(Permission.DISCLOSE)
def pack_check(case_id: int, pack_id: int):
    case, pack = _pack_to_change(case_id, pack_id)
    audit.record("view", pack, summary=f"check of disclosure pack {pack.id} before issue")
    form = IssueForm(version=pack.version)
    return _check_page(case, pack, form)


def _check_page(case: Case, pack: DisclosurePack, form: IssueForm, status: int = 200):
    return render_template(
        "disclosure/check.html",
        case=case,
        pack=pack,
        form=form,
        **_standing(pack),
        key=services.key(pack),
        today=today_london(),
    ), status


@bp.route(f"{PACK}/issue", methods=["POST"])
@requires(Permission.DISCLOSE)
def pack_issue(case_id: int, pack_id: int):
    case, pack = _pack_to_change(case_id, pack_id)
    form = IssueForm()
    if not form.validate_on_submit():
        return _check_page(case, pack, form, 400)
    try:
        copy = services.issue(pack, case, form.version.data, g.user)
    except services.Refused as refused:
        form.show_conflict(str(refused))
        return _check_page(case, pack, form, 409)
    except services.Stale:
        form.show_conflict()
        return _check_page(case, pack, form, 409)
    flash(
        f"Disclosure pack {pack.id} issued to {pack.requester}. SHA-256 of the copy kept: {copy.sha256}",
        "success",
    )
    return _to_pack(pack)


@bp.route(f"{PACK}/pdf")
@requires(Permission.DISCLOSE)
def pack_pdf(case_id: int, pack_id: int):
    """The issued copy, byte for byte; or, for a draft, a preview marked DRAFT."""
    case, pack = _pack(case_id, pack_id)
    if pack.is_issued:
        copy = services.issued_copy(pack) or abort(404)
        if copy.disposed_of:
            flash(services.COPY_DISPOSED, "important")
            return _to_pack(pack)
        data, name = copy.pdf, f"disclosure-pack-{pack.id}-{case.reference}.pdf"
        summary = (
            f"issued copy of disclosure pack {pack.id} (SHA-256 {copy.sha256}), downloaded again"
        )
    else:
        data = services.preview(pack, case)
        name = f"disclosure-pack-{pack.id}-{case.reference}-draft.pdf"
        summary = f"draft preview of disclosure pack {pack.id} for {pack.requester}"
    # A draft preview is for the person checking it. The issued copy went to the requester when it was
    # issued (logged then); whoever downloads it again says who it is for and why, as for any download.
    if not pack.is_issued:
        to_themselves(f"checking the pack for {pack.requester}")
    audit.record("export", pack, summary=summary)
    return download(data, "application/pdf", name)
