"""Building evaluation forms: the default form, sections and questions, and versions once a form is sent."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from tests.pages import banners, error_summary, page_text, soup
from tracker.evaluations.models import EvaluationForm, Question, QuestionKind
from tracker.training.models import CourseKind


def test_a_fresh_database_has_the_default_post_event_form(client_as, factory):
    form = factory.default_form()
    texts = [q.text for q in form.ordered_questions]
    assert texts == [
        "Overall, how would you rate the event?",
        "How relevant was the event to your practice?",
        "How confident did you feel before the event?",
        "How confident do you feel now?",
        "What was most useful?",
        "What should change?",
        "Would you recommend the event to a colleague?",
    ]
    response = client_as("TRSG").get("/evaluations/forms")
    text = page_text(response)
    assert "Post-event evaluation Default" in text


def test_the_trsg_creates_a_form_and_adds_a_rating_question(client_as, session):
    client = client_as("TRSG")
    response = client.post(
        "/evaluations/forms/new", data={"name": "Course evaluation", "description": "Hello"}
    )
    form = session.exec(select(EvaluationForm).where(EvaluationForm.name == "Course evaluation")).one()
    assert response.headers["Location"].endswith(f"/evaluations/forms/{form.id}")
    assert banners(client.get(response.headers["Location"])) == [
        "Form 'Course evaluation' created. Add its questions."
    ]
    assert form.family_id == form.id and form.version_number == 1
    section = form.sections[0]
    response = client.post(
        f"/evaluations/sections/{section.id}/questions/new",
        data={
            "text": "How useful was day one?",
            "kind": "RATING",
            "options": "Useless\nPoor\nOK\nUseful\nVery useful",
            "required": "y",
        },
        follow_redirects=True,
    )
    assert banners(response) == ["Question added."]
    assert "How useful was day one?" in page_text(response)
    session.refresh(form)
    assert [(q.kind, q.options, q.required) for q in form.questions] == [
        (QuestionKind.RATING, ["Useless", "Poor", "OK", "Useful", "Very useful"], True)
    ]


def test_a_question_without_what_its_kind_needs_is_refused_and_nothing_is_saved(client_as, factory, session):
    form = factory.evaluation_form(questions=[])
    client = client_as("TRSG")
    response = client.post(
        f"/evaluations/sections/{form.sections[0].id}/questions/new",
        data={"text": "Best bit?", "kind": "SINGLE_CHOICE", "options": "Only one"},
    )
    assert error_summary(response) == ["Enter at least two options, one a line"]
    assert soup(response).title.get_text().startswith("Error: ")
    response = client.post(
        f"/evaluations/sections/{form.sections[0].id}/questions/new", data={"kind": "RATING"}
    )
    assert error_summary(response) == [
        "Enter the question",
        "Enter five labels, one a line, for the ratings 1 to 5",
    ]
    assert session.exec(select(Question).where(Question.form_id == form.id)).all() == []


def test_a_form_not_yet_sent_is_changed_in_place(client_as, factory, session):
    form = factory.evaluation_form()
    question = form.questions[0]
    response = client_as("TRSG").post(
        f"/evaluations/questions/{question.id}/edit",
        data={"text": "Rate the day", "kind": "RATING", "options": "1\n2\n3\n4\n5", "required": "y"},
    )
    assert response.headers["Location"].endswith(f"/evaluations/forms/{form.id}")
    session.refresh(question)
    assert question.text == "Rate the day"
    assert session.exec(select(EvaluationForm).where(EvaluationForm.family_id == form.family_id)).all() == [
        form
    ]


def test_changing_a_form_that_was_sent_makes_a_new_version_and_the_event_keeps_the_old(
    client_as, factory, session
):
    form = factory.evaluation_form()
    evaluation = factory.evaluation(form=form)
    question = form.questions[0]
    client = client_as("TRSG")
    page = client.get(f"/evaluations/questions/{question.id}/edit")
    assert "saving makes version 2" in page_text(page)
    response = client.post(
        f"/evaluations/questions/{question.id}/edit",
        data={"text": "Rate the whole day", "kind": "RATING", "options": "\n".join("ABCDE"), "required": "y"},
        follow_redirects=True,
    )
    assert banners(response) == [
        "Question saved. The form had been sent to events, so the change made version 2; those events keep version 1."
    ]
    versions = session.exec(
        select(EvaluationForm)
        .where(EvaluationForm.family_id == form.family_id)
        .order_by(EvaluationForm.version_number)
    ).all()
    assert [v.version_number for v in versions] == [1, 2]
    old, new = versions
    session.refresh(question)
    assert question.text == "How would you rate the day?"  # the version answered is untouched
    assert [q.text for q in new.questions][0] == "Rate the whole day"
    assert [q.lineage for q in new.questions] == [q.lineage for q in old.questions]
    session.refresh(evaluation)
    assert evaluation.form_id == old.id
    # Further changes go to version 2, which no event has yet: no version 3.
    client.post(f"/evaluations/forms/{new.id}/edit", data={"name": "Renamed", "version": str(new.version)})
    assert (
        len(session.exec(select(EvaluationForm).where(EvaluationForm.family_id == form.family_id)).all()) == 2
    )


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/evaluations/forms/{form}/sections/new", "Add a section"),
        ("/evaluations/sections/{section}/edit", "Change a section"),
        ("/evaluations/sections/{section}/questions/new", "Add a question"),
        ("/evaluations/questions/{question}/edit", "Change a question"),
    ],
)
def test_each_page_changing_a_part_of_a_sent_form_leads_back_to_it_and_says_a_new_version_is_made(
    client_as, factory, url, heading
):
    form = factory.evaluation_form()
    factory.evaluation(form=form)
    ids = {"form": form.id, "section": form.sections[0].id, "question": form.questions[0].id}
    page = soup(client_as("TRSG").get(url.format(**ids)))
    assert page.h1.get_text(strip=True) == heading
    back = page.select_one(".govuk-back-link")
    assert (back["href"], back.get_text(strip=True)) == (f"/evaluations/forms/{form.id}", f"Back to {form.name}")
    assert "has been sent to events, so it will not change: saving makes version 2" in page.get_text()


def test_an_earlier_version_cannot_be_changed(client_as, factory, session):
    form = factory.evaluation_form()
    factory.evaluation(form=form)
    client = client_as("TRSG")
    client.post(f"/evaluations/forms/{form.id}/edit", data={"name": "New name", "version": str(form.version)})
    latest = session.exec(
        select(EvaluationForm).where(
            EvaluationForm.family_id == form.family_id, EvaluationForm.version_number == 2
        )
    ).one()
    response = client.post(f"/evaluations/questions/{form.questions[0].id}/delete", follow_redirects=True)
    assert "has been replaced by a newer version" in " ".join(banners(response))
    assert len(session.exec(select(Question).where(Question.form_id == form.id)).all()) == 5
    view = client.get(f"/evaluations/forms/{form.id}")
    assert "This is an earlier version" in page_text(view)
    assert soup(view).find("a", string="Add a section") is None
    assert latest.name == "New name"


def test_questions_move_and_are_removed_with_their_order_kept(client_as, factory, session):
    form = factory.evaluation_form()
    first, second = form.questions[0], form.questions[1]
    second_text = second.text
    client = client_as("TRSG")
    client.post(f"/evaluations/questions/{first.id}/move", data={"direction": "down"})
    session.expire_all()
    assert [q.text for q in session.get(EvaluationForm, form.id).ordered_questions][:2] == [
        second.text,
        first.text,
    ]
    client.post(f"/evaluations/questions/{second.id}/delete")
    session.expire_all()
    remaining = session.get(EvaluationForm, form.id).ordered_questions
    assert [q.position for q in remaining] == [1, 2, 3, 4]
    assert second_text not in [q.text for q in remaining]


def test_sections_are_added_renamed_and_removed_but_never_the_last(client_as, factory, session):
    form = factory.evaluation_form()
    client = client_as("TRSG")
    client.post(
        f"/evaluations/forms/{form.id}/sections/new", data={"title": "About you"}, follow_redirects=True
    )
    session.expire_all()
    sections = session.get(EvaluationForm, form.id).sections
    assert [s.title for s in sections] == ["Questions", "About you"]
    client.post(
        f"/evaluations/sections/{sections[1].id}/edit",
        data={"title": "About your work"},
        follow_redirects=True,
    )
    response = client.post(f"/evaluations/sections/{sections[0].id}/delete", follow_redirects=True)
    assert banners(response) == ["Section 'Questions' and its questions removed."]
    session.expire_all()
    form = session.get(EvaluationForm, form.id)
    assert [s.title for s in form.sections] == ["About your work"] and form.questions == []
    response = client.post(f"/evaluations/sections/{form.sections[0].id}/delete", follow_redirects=True)
    assert banners(response) == ["A form needs at least one section: this is its last."]


def test_two_people_changing_a_form_at_once_cannot_overwrite_each_other(client_as, factory):
    form = factory.evaluation_form()
    response = client_as("TRSG").post(
        f"/evaluations/forms/{form.id}/edit", data={"name": "Mine", "version": str(form.version - 1)}
    )
    assert "Someone else changed this while you were editing it" in error_summary(response)[0]


def test_the_preview_shows_every_question_and_keeps_nothing(client_as, factory):
    form = factory.evaluation_form()
    response = client_as("TRSG").get(f"/evaluations/forms/{form.id}/preview")
    text = page_text(response)
    assert "This is a preview" in text
    for question in form.questions:
        assert question.text in text
    forms = [f for f in soup(response).find_all("form") if f.get("action") != "/sign-out"]
    assert forms == []


def test_the_event_page_links_to_its_evaluation(client_as, factory):
    event = factory.event(factory.course(CourseKind.CPD))
    response = client_as("TRSG").get(f"/training/events/{event.id}")
    link = soup(response).find("a", string="Evaluation form and results")
    assert link["href"] == f"/evaluations/events/{event.id}/attach"


def test_a_second_form_of_the_same_name_is_refused_whatever_its_case(client_as, factory, session):
    factory.default_form()  # "Post-event evaluation"
    client = client_as("TRSG")
    response = client.post(
        "/evaluations/forms/new", data={"name": "post-event EVALUATION ", "description": ""}
    )
    assert response.status_code == 200
    assert error_summary(response) == ["There is already an evaluation form with this name"]
    beside = soup(response).select_one("#name-error").get_text(" ", strip=True)
    assert beside == "Error: There is already an evaluation form with this name"
    named = select(EvaluationForm).where(sa.func.lower(EvaluationForm.name) == "post-event evaluation")
    assert len(session.exec(named).all()) == 1
    # Two spaces look like one on every page that lists the forms.
    spaced = client.post("/evaluations/forms/new", data={"name": "Post-event  evaluation", "description": ""})
    assert error_summary(spaced) == ["There is already an evaluation form with this name"]


def test_a_form_cannot_be_renamed_to_another_forms_name_but_keeps_its_own(client_as, factory, session):
    factory.default_form()
    form = factory.evaluation_form(name="Course evaluation")
    client = client_as("TRSG")
    response = client.post(
        f"/evaluations/forms/{form.id}/edit",
        data={"name": "Post-Event Evaluation", "version": str(form.version)},
    )
    assert error_summary(response) == ["There is already an evaluation form with this name"]
    session.refresh(form)
    assert form.name == "Course evaluation"
    response = client.post(
        f"/evaluations/forms/{form.id}/edit",
        data={"name": "Course Evaluation", "description": "Changed", "version": str(form.version)},
    )
    assert response.status_code == 302
    session.refresh(form)
    assert (form.name, form.description) == ("Course Evaluation", "Changed")


def test_copying_a_form_twice_gives_the_copies_different_names(client_as, factory, session):
    form = factory.evaluation_form(name="Course evaluation")
    client = client_as("TRSG")
    for _ in range(2):
        client.post(f"/evaluations/forms/{form.id}/copy", data={"confirm": "y"})
    copies = session.exec(select(EvaluationForm.name).where(EvaluationForm.name.startswith("Copy of"))).all()
    assert sorted(copies) == ["Copy of Course evaluation", "Copy of Course evaluation (2)"]


def test_sending_a_form_lists_each_form_once(client_as, factory):
    factory.default_form()
    client_as("TRSG").post("/evaluations/forms/new", data={"name": "Post-event evaluation"})
    event = factory.event(factory.course(CourseKind.CPD), title="Chairs' Forum, March")
    response = client_as("TRSG").get(f"/evaluations/events/{event.id}/attach")
    labels = [label.get_text(" ", strip=True) for label in soup(response).select(".govuk-radios__label")]
    labels += [option.get_text(" ", strip=True) for option in soup(response).select("select option")]
    offered = [label for label in labels if label.startswith("Post-event evaluation")]
    assert len(offered) == 1
