"""An agenda item's risk assessment and its level decision are edited on forms of their own: saving one while
the other is open elsewhere is no conflict, and a conflict said is a true one (someone else changed the
same part)."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from tests.pages import error_summary, page_text
from tracker.core.timeutil import today_london


def as_shown(response) -> dict:
    """What the page's form posts as it stands: its hidden fields, ticked radios, text and dates."""
    forms = BeautifulSoup(response.data, "html.parser").find_all("form", method="post")
    form = next(form for form in forms if form.find("input", attrs={"name": "version"}))
    data: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") == "submit":
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.get("type") in ("radio", "checkbox"):
            if field.has_attr("checked"):
                data[name] = field.get("value")
        else:
            data.setdefault(name, [])
            data[name].append(field.get("value", ""))
    return {
        name: value[0] if isinstance(value, list) and len(value) == 1 else value
        for name, value in data.items()
    }


def _decision(client, url: str, reason: str) -> dict:
    form = as_shown(client.get(f"{url}/decision"))
    review = today_london() + timedelta(weeks=6)
    form.update(level_decision="RETAIN", level_decision_reason=reason)
    form["next_review_on"] = [str(review.day), str(review.month), str(review.year)]
    return form


def test_saving_the_risk_assessment_meanwhile_does_not_stop_the_decision(client_as, session, factory):
    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair)
    item = meeting.agenda_items[0]
    url = f"/meetings/{meeting.id}/agenda/{item.id}"
    client = client_as(chair)
    decision = _decision(client, url, "Stable: the plan is working")  # the decision form, open in one tab

    risk = as_shown(client.get(f"{url}/risk"))  # another tab: the risk assessment, saved
    risk["risk_to_staff"] = "HIGH"
    assert client.post(f"{url}/risk", data=risk).status_code == 302

    response = client.post(f"{url}/decision", data=decision)
    assert response.status_code == 302
    session.expire_all()
    item = session.get(type(item), item.id)
    assert item.level_decision_reason == "Stable: the plan is working"
    assert item.risk_to_staff.name == "HIGH"


def test_saving_the_decision_meanwhile_does_not_stop_the_risk_assessment(client_as, session, factory):
    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair)
    item = meeting.agenda_items[0]
    url = f"/meetings/{meeting.id}/agenda/{item.id}"
    client = client_as(chair)
    risk = as_shown(client.get(f"{url}/risk"))
    risk["risk_notes"] = "Drinking again since the new year."
    assert client.post(f"{url}/decision", data=_decision(client, url, "Stable")).status_code == 302
    assert client.post(f"{url}/risk", data=risk).status_code == 302
    session.expire_all()
    assert session.get(type(item), item.id).risk_notes == "Drinking again since the new year."


def test_two_people_deciding_at_once_are_told_the_decision_changed(client_as, session, factory):
    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair)
    item = meeting.agenda_items[0]
    url = f"/meetings/{meeting.id}/agenda/{item.id}"
    client = client_as(chair)
    first, second = _decision(client, url, "First view"), _decision(client, url, "Second view")
    assert client.post(f"{url}/decision", data=first).status_code == 302

    response = client.post(f"{url}/decision", data=second)

    assert response.status_code == 409
    assert error_summary(response) == [
        "Someone else saved changes to this decision while you were editing it. Your changes have not been "
        "saved: reload the page to see theirs, then make yours again"
    ]
    session.expire_all()
    assert session.get(type(item), item.id).level_decision_reason == "First view"


def _slot_edit(client, url: str) -> dict:
    form = as_shown(client.get(f"{url}/edit"))
    form.update(purpose="INITIAL", slot_start="10:20", slot_end="10:40")  # a case not yet discussed
    return form


def test_saving_the_decision_meanwhile_does_not_stop_a_change_to_the_items_slot(client_as, session, factory):
    chair, administrator = factory.user("CHAIR"), factory.user("ADMINISTRATOR")
    meeting = factory.meeting(chair=chair, administrator=administrator, day=today_london())
    item = factory.agenda_item(meeting)
    url = f"/meetings/{meeting.id}/agenda/{item.id}"
    slot = _slot_edit(client_as(administrator), url)  # the administrator's form, open while the meeting runs

    chair_client = client_as(chair)
    assert chair_client.post(f"{url}/decision", data=_decision(chair_client, url, "Stable")).status_code == 302

    response = client_as(administrator).post(f"{url}/edit", data=slot)
    assert response.status_code == 302, page_text(response)[:3000]
    session.expire_all()
    item = session.get(type(item), item.id)
    assert item.level_decision_reason == "Stable"
    assert item.slot_starts_at is not None and item.slot_ends_at is not None


def test_a_change_to_the_slot_meanwhile_is_still_a_conflict(client_as, session, factory):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    item = factory.agenda_item(meeting)
    url = f"/meetings/{meeting.id}/agenda/{item.id}"
    client = client_as(administrator)
    first, second = _slot_edit(client, url), _slot_edit(client, url)  # two tabs
    assert client.post(f"{url}/edit", data=first).status_code == 302

    second.update(slot_start="11:00", slot_end="11:30")
    response = client.post(f"{url}/edit", data=second)
    assert response.status_code == 409
    assert error_summary(response)[0].startswith("Someone else saved changes to this agenda item")
    session.expire_all()
    assert session.get(type(item), item.id).slot_starts_at.minute == 20
