"""Access to evaluations: the TRSG manages them; those who see training figures read the results (no case
data); anyone with a link answers; a link shown in the app is only for the person it was sent to."""

from tests.access_cases import ALL, Case, World, post
from tracker.training.models import CourseKind

MANAGE = frozenset({"TRSG"})
RESULTS = frozenset({"TRSG", "SMB", "LAY_ADVISER", "COORDINATOR"})


def build(world: World, factory) -> None:
    form = factory.evaluation_form(name="Access form")
    world.objects["evaluation_form"] = form
    world.objects["section"] = form.sections[0]
    world.objects["question"] = form.questions[0]
    world.objects["free_text"] = next(q for q in form.questions if q.kind.name == "FREE_TEXT")
    course = factory.course(CourseKind.CPD, title="Access forum")
    event = factory.event(course)
    world.objects["unevaluated_event"] = factory.event(course)
    evaluation = factory.evaluation(event, form)
    world.objects["evaluation"] = evaluation
    factory.attendee(event)  # someone still to be sent a link
    # The practitioner's own invitation (they attended): theirs to answer in the app, nobody else's.
    own = factory.attendee(event, factory.trainee(world.users["PRACTITIONER"]))
    world.objects["own_invitation"], _ = factory.evaluation_invitation(evaluation, own)
    world.objects["invitation"], world.objects["token"] = factory.evaluation_invitation(evaluation)


def _evaluation(path: str = ""):
    return lambda w: f"/evaluations/{w.evaluation.id}{path}"


CASES = [
    Case("evaluations.form_list", "/evaluations/forms", MANAGE),
    Case("evaluations.form_new", "/evaluations/forms/new", MANAGE),
    Case("evaluations.form_view", lambda w: f"/evaluations/forms/{w.evaluation_form.id}", MANAGE),
    Case("evaluations.form_preview", lambda w: f"/evaluations/forms/{w.evaluation_form.id}/preview", MANAGE),
    Case("evaluations.form_edit", lambda w: f"/evaluations/forms/{w.evaluation_form.id}/edit", MANAGE),
    Case(
        "evaluations.section_new", lambda w: f"/evaluations/forms/{w.evaluation_form.id}/sections/new", MANAGE
    ),
    Case("evaluations.section_edit", lambda w: f"/evaluations/sections/{w.section.id}/edit", MANAGE),
    post("evaluations.section_delete", lambda w: f"/evaluations/sections/{w.section.id}/delete", MANAGE),
    Case("evaluations.question_new", lambda w: f"/evaluations/sections/{w.section.id}/questions/new", MANAGE),
    Case("evaluations.question_edit", lambda w: f"/evaluations/questions/{w.question.id}/edit", MANAGE),
    post(
        "evaluations.question_move",
        lambda w: f"/evaluations/questions/{w.question.id}/move",
        MANAGE,
        data={"direction": "down"},
    ),
    post("evaluations.question_delete", lambda w: f"/evaluations/questions/{w.question.id}/delete", MANAGE),
    Case("evaluations.attach", lambda w: f"/evaluations/events/{w.unevaluated_event.id}/attach", MANAGE),
    Case("evaluations.evaluation_view", _evaluation(), MANAGE),
    Case("evaluations.closing_date", _evaluation("/closing-date"), MANAGE),
    post("evaluations.send_links", _evaluation("/send-links"), MANAGE),
    post("evaluations.remind", _evaluation("/remind"), MANAGE),
    Case("evaluations.results_csv", _evaluation("/results.csv"), MANAGE),
    Case("evaluations.evaluation_list", "/evaluations/events", RESULTS),
    Case("evaluations.results", _evaluation("/results"), RESULTS),
    Case("evaluations.results_pdf", _evaluation("/results.pdf"), RESULTS),
    Case(
        "evaluations.text_answers",
        lambda w: f"/evaluations/{w.evaluation.id}/questions/{w.free_text.id}/answers",
        RESULTS,
    ),
    Case("evaluations.compare", "/evaluations/compare", RESULTS),
    Case("evaluations.compare_csv", "/evaluations/compare.csv", RESULTS),
    Case("evaluations.compare_pdf", "/evaluations/compare.pdf", RESULTS),
    post("evaluations.form_copy", lambda w: f"/evaluations/forms/{w.evaluation_form.id}/copy", MANAGE),
    Case(
        "evaluations.answer_signed_in",
        lambda w: f"/evaluations/invitations/{w.own_invitation.id}",
        frozenset({"PRACTITIONER"}),
    ),
    Case("evaluations.answer", lambda w: f"/evaluations/answer/{w.token}", ALL, public=True),
    Case("evaluations.thanks", "/evaluations/thank-you", ALL, public=True),
]
