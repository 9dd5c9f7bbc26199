"""Downloading in tests: every file is handed over only once the person says who it is for and why."""

from urllib.parse import urlencode

# The disclosure form's answer for a file kept by the person downloading it.
FOR_MYSELF = {"disclosure-recipient": "me", "disclosure-reason": "For my own use at or before the meeting"}


def disclosed(url: str, **answer: str) -> str:
    """The download's address with the disclosure form answered (for the person themselves, unless
    `answer` says otherwise)."""
    given = {f"disclosure-{name}": value for name, value in answer.items()}
    return url + ("&" if "?" in url else "?") + urlencode({**FOR_MYSELF, **given})


# The first of the area's default reasons for opening a case one has no part in.
OVERSIGHT = "Reviewing the case for the MAPPA co-ordinator's oversight"


def give_reason(client, case_id: int, reason: str = OVERSIGHT) -> None:
    """Say why this client's person opens the case (once per case per session, as the form asks)."""
    response = client.post(f"/cases/{case_id}/reason", data={"reason": reason})
    assert response.status_code == 302, response.status_code


def give_minutes_reason(client, meeting_id: int, reason: str = OVERSIGHT) -> None:
    """Say why this client's person, who sees the meeting only by oversight, reads its minutes (once per
    meeting per session)."""
    response = client.post(f"/meetings/{meeting_id}/minutes/reason", data={"reason": reason})
    assert response.status_code == 302, response.status_code


def open_page(client, url: str):
    """GET a page as a person would: giving a reason if the case (or the minutes) asks for one, and
    answering the disclosure form if the page is a download."""
    response = client.get(url)
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/reason?" in location:
        assert client.post(location, data={"reason": OVERSIGHT}).status_code == 302
        response = client.get(url)
    if is_disclosure_form(response):
        response = client.get(disclosed(url))
    return response


def is_disclosure_form(response) -> bool:
    return response.status_code == 200 and b'name="disclosure-recipient"' in response.data and (
        "Content-Disposition" not in response.headers
    )
