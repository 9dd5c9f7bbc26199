"""Access to disclosure packs: the co-ordinator's alone, and a Category 4 case's packs only for a co-ordinator
cleared for terrorism cases (the world's co-ordinator is not, so nobody here may open them; a cleared one
can, in tests/disclosure/test_packs.py). Chairs and practitioners on the case's meeting are refused.

A draft pack carries the pages that build it; an issued pack (closed to change) carries the redaction
removed and the issue posted, so that nothing the coordinator is allowed changes anything. A draft subject
access request carries the form extending its time to reply, which the empty form sent changes nothing of."""

from datetime import date

from tests.access_cases import Case, World, post
from tracker.core.types import utcnow
from tracker.disclosure.models import (
    AgencyAgreement,
    DisclosureCopy,
    DisclosurePack,
    DocumentKind,
    PackDocument,
    PackPurpose,
    Redaction,
    RedactionReason,
)
from tracker.meetings.models import Category
from tracker.minutes.models import MinutesStatus

COORDINATOR = frozenset({"COORDINATOR"})
NOBODY: frozenset[str] = frozenset()


def _pack(world: World, factory, case, issued: bool) -> DisclosurePack:
    coordinator = world.users["COORDINATOR"]
    pack = factory.save(
        DisclosurePack(
            case_id=case.id,
            requester="Access Requester",
            purpose=PackPurpose.COURT,
            request_received_on=case.referred_on,
            created_by_id=coordinator.id,
        )
    )
    document = factory.save(
        PackDocument(
            pack_id=pack.id,
            kind=DocumentKind.EXECUTIVE_SUMMARY,
            source="plan",
            title="Access document",
            paragraphs=[{"heading": "Summary", "text": "Lives with Access Third Party."}],
            agency_ids=[case.lead_agency_id],
        )
    )
    factory.save(
        Redaction(
            pack_id=pack.id,
            document_id=document.id,
            paragraph=0,
            start=11,
            end=29,
            reason=RedactionReason.THIRD_PARTY,
            created_by_id=coordinator.id,
        ),
        AgencyAgreement(
            pack_id=pack.id,
            agency_id=case.lead_agency_id,
            agreed=True,
            agreed_by="Access Agreer",
            agreed_on=date(2026, 12, 1),
            recorded_by_id=coordinator.id,
        ),
    )
    if issued:
        pack.issued_at, pack.issued_by_id = utcnow(), coordinator.id
        factory.save(pack)
        factory.save(DisclosureCopy(pack_id=pack.id, pdf=b"%PDF-1.4 access", sha256="0" * 64, size=15))
    world.objects[f"{'issued' if issued else 'draft'}_{'cat4' if case.is_category_4 else 'pack'}"] = pack
    world.objects[
        f"{'issued' if issued else 'draft'}_{'cat4' if case.is_category_4 else 'pack'}_document"
    ] = document
    return pack


def build(world: World, factory) -> None:
    meeting = factory.held_meeting(chair=world.users["CHAIR"], administrator=world.users["ADMINISTRATOR"])
    factory.invitation(meeting, world.users["PRACTITIONER"])
    factory.minutes(meeting, MinutesStatus.APPROVED)
    case = meeting.agenda_items[0].case
    world.objects["disclosure_case"] = case
    _pack(world, factory, case, issued=False)
    _pack(world, factory, case, issued=True)
    world.objects["sar_pack"] = factory.save(
        DisclosurePack(
            case_id=case.id,
            requester="Access Subject",
            purpose=PackPurpose.SUBJECT_ACCESS,
            request_received_on=case.referred_on,
            created_by_id=world.users["COORDINATOR"].id,
        )
    )
    terrorism = factory.case(category=Category.CATEGORY_4)
    world.objects["cat4_case"] = terrorism
    _pack(world, factory, terrorism, issued=False)


def _at(pack: str, path: str = ""):
    def url(w: World) -> str:
        found = w.objects[pack]
        return f"/cases/{found.case_id}/disclosure-packs/{found.id}{path}"

    return url


def _document(pack: str, path: str = ""):
    return lambda w: _at(pack, f"/documents/{w.objects[pack + '_document'].id}{path}")(w)


def _agency(pack: str):
    return lambda w: _at(pack, f"/agencies/{w.disclosure_case.lead_agency_id}")(w)


def _redaction(pack: str):
    return lambda w: _at(pack, f"/redactions/{w.objects[pack].redactions[0].id}/remove")(w)


CASES = [
    Case("disclosure.pack_list", lambda w: f"/cases/{w.disclosure_case.id}/disclosure-packs", COORDINATOR),
    Case("disclosure.pack_list", lambda w: f"/cases/{w.cat4_case.id}/disclosure-packs", NOBODY),
    Case("disclosure.pack_new", lambda w: f"/cases/{w.disclosure_case.id}/disclosure-packs/new", COORDINATOR),
    Case("disclosure.pack_new", lambda w: f"/cases/{w.cat4_case.id}/disclosure-packs/new", NOBODY),
    Case("disclosure.pack_view", _at("draft_pack"), COORDINATOR),
    Case("disclosure.pack_view", _at("issued_pack"), COORDINATOR),
    Case("disclosure.pack_view", _at("draft_cat4"), NOBODY),
    Case("disclosure.pack_request", _at("draft_pack", "/request"), COORDINATOR),
    Case("disclosure.pack_documents", _at("draft_pack", "/documents"), COORDINATOR),
    Case("disclosure.pack_documents", _at("draft_cat4", "/documents"), NOBODY),
    Case("disclosure.document_view", _document("draft_pack"), COORDINATOR),
    Case("disclosure.document_view", _document("draft_cat4"), NOBODY),
    Case("disclosure.redaction_new", _document("draft_pack", "/paragraphs/0/redact"), COORDINATOR),
    post("disclosure.redaction_remove", _redaction("issued_pack"), COORDINATOR),
    post("disclosure.redaction_remove", _redaction("draft_cat4"), NOBODY),
    Case("disclosure.agreement_edit", _agency("draft_pack"), COORDINATOR),
    Case("disclosure.pack_check", _at("draft_pack", "/check"), COORDINATOR),
    post("disclosure.pack_issue", _at("draft_pack", "/issue"), COORDINATOR, data={"version": "0"}),
    post("disclosure.pack_issue", _at("draft_cat4", "/issue"), NOBODY, data={"version": "0"}),
    # A subject access request's time to reply: the form, sent empty (refused, changing nothing), and sent
    # for an issued pack (refused); never for a Category 4 case's pack.
    Case("disclosure.reply_extension", _at("sar_pack", "/reply-extension"), COORDINATOR),
    post("disclosure.reply_extension", _at("sar_pack", "/reply-extension"), COORDINATOR, data={}),
    post("disclosure.reply_extension", _at("issued_pack", "/reply-extension"), COORDINATOR),
    Case("disclosure.reply_extension", _at("draft_cat4", "/reply-extension"), NOBODY),
    post("disclosure.reply_extension", _at("draft_cat4", "/reply-extension"), NOBODY),
    Case("disclosure.pack_pdf", _at("draft_pack", "/pdf"), COORDINATOR),
    Case("disclosure.pack_pdf", _at("issued_pack", "/pdf"), COORDINATOR),
    Case("disclosure.pack_pdf", _at("draft_cat4", "/pdf"), NOBODY),
]
