"""The span rules of redaction, with plain values: finding a passage, combining spans that overlap or
touch, a whole paragraph, and what may stop a pack being issued."""

from datetime import date

import pytest

from tracker.disclosure import rules
from tracker.disclosure.models import PackPurpose
from tracker.disclosure.rules import Box, Span

TEXT = "Lives with Jo Smith at 4 Elm Road; Jo Smith works nights."


def test_a_passage_is_found_everywhere_it_appears_exactly_as_typed():
    assert rules.occurrences(TEXT, "Jo Smith") == [(11, 19), (35, 43)]
    assert rules.occurrences(TEXT, "jo smith") == []
    assert rules.occurrences(TEXT, "") == []
    assert rules.occurrences("aaaa", "aa") == [(0, 2), (1, 3), (2, 4)]


def test_overlapping_spans_become_one_box_with_both_codes():
    assert rules.merge([Span(0, 10, "R2"), Span(5, 15, "R1")]) == [(0, 15, ("R1", "R2"))]
    assert rules.segments("0123456789abcdefghij", [Span(0, 10, "R2"), Span(5, 15, "R1")]) == [
        Box(("R1", "R2")),
        "fghij",
    ]


def test_a_span_inside_another_leaves_one_box():
    assert rules.merge([Span(2, 20, "R1"), Span(5, 8, "R1")]) == [(2, 20, ("R1",))]


def test_adjacent_spans_become_one_box_so_no_boundary_shows():
    assert rules.merge([Span(3, 6, "R1"), Span(0, 3, "R1")]) == [(0, 6, ("R1",))]
    assert rules.merge([Span(0, 3, "R1"), Span(3, 6, "R3")]) == [(0, 6, ("R1", "R3"))]


def test_spans_apart_stay_apart_and_the_text_between_them_stays():
    parts = rules.segments(TEXT, [Span(11, 19, "R1"), Span(35, 43, "R1")])
    assert parts == ["Lives with ", Box(("R1",)), " at 4 Elm Road; ", Box(("R1",)), " works nights."]
    assert rules.disclosed_text(TEXT, [Span(11, 19, "R1"), Span(35, 43, "R1")]) == (
        "Lives with [R1] at 4 Elm Road; [R1] works nights."
    )


def test_a_whole_paragraph_is_one_box_and_nothing_else():
    assert rules.segments(TEXT, [Span(0, len(TEXT), "R2")]) == [Box(("R2",))]


def test_no_segment_holds_any_redacted_character():
    spans = [Span(11, 19, "R1"), Span(23, 33, "R2")]
    text_parts = [part for part in rules.segments(TEXT, spans) if isinstance(part, str)]
    assert "".join(text_parts) == TEXT[:11] + TEXT[19:23] + TEXT[33:]
    assert all("Smith" not in part and "Elm" not in part for part in text_parts[:2])


def test_a_paragraph_with_no_redactions_is_its_text():
    assert rules.segments(TEXT, []) == [TEXT]
    assert rules.segments("", []) == []


def test_a_span_outside_the_paragraph_or_of_only_spaces_is_refused():
    assert rules.span_problem(TEXT, 0, 5) is None
    assert rules.span_problem(TEXT, 5, 5) == "The passage is not in the paragraph"
    assert rules.span_problem(TEXT, -1, 5) == "The passage is not in the paragraph"
    assert rules.span_problem(TEXT, 50, 99) == "The passage is not in the paragraph"
    assert rules.span_problem("a   b", 1, 4) == "The passage to redact must contain more than spaces"


def test_other_purpose_needs_its_detail():
    assert rules.purpose_problem(PackPurpose.OTHER, " ") == "Enter what the disclosure is for"
    assert rules.purpose_problem(PackPurpose.OTHER, "Inquest") is None
    assert rules.purpose_problem(PackPurpose.COURT, "") is None


def test_a_pack_waits_for_every_agency_unless_overridden_with_a_reason():
    agreed = rules.AgencyStanding("Police", True)
    refused = rules.AgencyStanding("Housing", False)
    unrecorded = rules.AgencyStanding("Health", None)
    overridden = rules.AgencyStanding("Housing", False, overridden=True)
    assert rules.issue_problems(2, [agreed, overridden]) == []
    assert rules.issue_problems(0, []) == ["Choose at least one document for the pack"]
    assert rules.issue_problems(1, [agreed, refused, unrecorded]) == [
        "Housing has not agreed: record its agreement, or give a reason to go ahead without it",
        "Record whether Health agreed to the disclosure",
    ]


def test_a_passage_marked_everywhere_is_found_in_capitals_or_not():
    text = "Victim safety: the victim and her VICTIM LIAISON officer"
    assert rules.occurrences(text, "victim", any_case=True) == [(0, 6), (19, 25), (34, 40)]
    assert rules.occurrences(text, "victim") == [(19, 25)]
    assert rules.occurrences("Ann annex", "ann", any_case=True) == [(0, 3), (4, 7)]


def test_an_agreement_is_dated_from_the_day_the_request_was_received_to_today():
    """Agencies are often asked when the request arrives, before the pack is started: any day from the
    request's arrival will do (not the case's referral to MAPPA, before it), never one in the future."""
    received, today = date(2026, 11, 2), date(2026, 12, 6)
    assert rules.agreement_date_problem(received, received, today) is None
    assert rules.agreement_date_problem(date(2026, 11, 20), received, today) is None  # before the pack
    assert rules.agreement_date_problem(today, received, today) is None
    before = "The date of the answer must be on or after 2 November 2026, when the request was received"
    assert rules.agreement_date_problem(date(2026, 11, 1), received, today) == before
    assert rules.agreement_date_problem(date(1990, 1, 1), received, today) == before
    assert rules.agreement_date_problem(date(2026, 12, 7), received, today) == (
        "The date of the answer must be today or in the past"
    )


def test_a_request_is_received_between_the_case_s_referral_and_today_and_before_any_answer_to_it():
    referred, today = date(2024, 5, 2), date(2026, 12, 6)
    assert rules.received_date_problem(referred, referred, today) is None
    assert rules.received_date_problem(today, referred, today) is None
    assert rules.received_date_problem(date(2026, 12, 7), referred, today) == (
        "The date the request was received must be today or in the past"
    )
    assert rules.received_date_problem(date(2024, 5, 1), referred, today) == (
        "The date the request was received must be on or after 2 May 2024, when the case was referred to MAPPA"
    )
    answered = date(2026, 11, 20)
    assert rules.received_date_problem(answered, referred, today, answered) is None
    assert rules.received_date_problem(date(2026, 11, 21), referred, today, answered) == (
        "The date the request was received must be on or before 20 November 2026, the date of an agency's "
        "answer to it"
    )


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 15), date(2026, 4, 15)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
        (date(2026, 1, 29), date(2026, 2, 28)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 8, 31), date(2026, 9, 30)),
        (date(2026, 4, 30), date(2026, 5, 30)),  # the same day number, though the 30th ends April
        (date(2026, 12, 31), date(2027, 1, 31)),  # into the next year
        (date(2026, 12, 1), date(2027, 1, 1)),
        (date(2026, 2, 28), date(2026, 3, 28)),
    ],
)
def test_a_subject_access_reply_is_due_one_calendar_month_after_the_request(received, due):
    """The same day of the next month, or that month's last day when it has no such day."""
    assert rules.reply_due(received) == due


def test_where_a_reply_stands_against_its_due_date():
    due = date(2026, 4, 15)
    assert rules.reply_standing(due, date(2026, 4, 1)) == "Not passed yet: 14 days to go"
    assert rules.reply_standing(due, date(2026, 4, 14)) == "Not passed yet: 1 day to go"
    assert rules.reply_standing(due, due) == "Due today"
    assert rules.reply_standing(due, date(2026, 4, 16)) == "This date has passed: the reply is 1 day late"
    assert rules.reply_standing(due, date(2026, 5, 1)) == "This date has passed: the reply is 16 days late"


def test_only_a_subject_access_request_has_a_reply_due_and_an_issued_pack_no_standing():
    received, today = date(2026, 3, 15), date(2026, 4, 16)
    assert rules.reply(PackPurpose.COURT, received, today, issued=False) is None
    late = rules.reply(PackPurpose.SUBJECT_ACCESS, received, today, issued=False)
    assert late == rules.Reply(date(2026, 4, 15), "This date has passed: the reply is 1 day late", late=True)
    on_time = rules.reply(PackPurpose.SUBJECT_ACCESS, received, date(2026, 4, 15), issued=False)
    assert on_time is not None and not on_time.late
    assert rules.reply(PackPurpose.SUBJECT_ACCESS, received, today, issued=True) == rules.Reply(date(2026, 4, 15))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 31), date(2026, 4, 30)),  # April has no 31st: its last day, not 28 April
        (date(2026, 1, 15), date(2026, 4, 15)),
        (date(2025, 11, 30), date(2026, 2, 28)),  # into the next year, to February's last day
        (date(2027, 11, 30), date(2028, 2, 29)),  # a leap year
        (date(2027, 11, 29), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2027, 3, 31)),
        (date(2026, 10, 31), date(2027, 1, 31)),
        (date(2026, 5, 31), date(2026, 8, 31)),
        (date(2026, 3, 31), date(2026, 6, 30)),
        (date(2026, 4, 30), date(2026, 7, 30)),  # the same day number, though the 30th ends April
        (date(2026, 2, 28), date(2026, 5, 28)),
    ],
)
def test_an_extended_reply_is_due_three_calendar_months_after_the_request(received, due):
    """Two further months on the first: three calendar months from receipt, counted as the first month
    is (not month by month, which would take 31 January to 28 April)."""
    assert rules.extended_reply_due(received) == due


def test_the_requester_is_told_of_an_extension_within_the_first_month_and_not_in_the_future():
    received, today = date(2026, 1, 31), date(2026, 3, 20)
    assert rules.extension_told_problem(received, received, today) is None
    assert rules.extension_told_problem(date(2026, 2, 28), received, today) is None  # the day first due
    assert rules.extension_told_problem(date(2026, 3, 1), received, today) == (
        "The date the requester was told must be on or before 28 February 2026, the day the reply was "
        "first due: the requester must be told within one month of receiving the request"
    )
    assert rules.extension_told_problem(date(2026, 1, 30), received, today) == (
        "The date the requester was told must be on or after 31 January 2026, when the request was received"
    )
    assert rules.extension_told_problem(date(2026, 2, 11), received, date(2026, 2, 10)) == (
        "The date the requester was told must be today or in the past"
    )


def test_only_a_subject_access_request_not_issued_nor_already_extended_can_be_extended():
    sar = PackPurpose.SUBJECT_ACCESS
    assert rules.extension_refused(sar, issued=False, extended=False) is None
    assert rules.extension_refused(sar, issued=False, extended=True) == (
        "The time to reply to this request has already been extended: it can be extended only once"
    )
    assert rules.extension_refused(sar, issued=True, extended=False) == (
        "This pack has been issued: an issued pack cannot be changed"
    )
    assert rules.extension_refused(PackPurpose.COURT, issued=False, extended=False) == (
        "Only the time to reply to a subject access request can be extended"
    )


def test_an_extended_reply_stands_against_its_extended_date():
    received, today = date(2026, 1, 31), date(2026, 3, 20)
    first = rules.reply(PackPurpose.SUBJECT_ACCESS, received, today, issued=False)
    assert first is not None and first.late and first.due == date(2026, 2, 28)
    extended = rules.reply(PackPurpose.SUBJECT_ACCESS, received, today, issued=False, extended=True)
    assert extended == rules.Reply(
        date(2026, 4, 30), "Not passed yet: 41 days to go", extended=True, first_due=date(2026, 2, 28)
    )
    late = rules.reply(PackPurpose.SUBJECT_ACCESS, received, date(2026, 5, 1), issued=False, extended=True)
    assert late is not None and late.late and late.standing == "This date has passed: the reply is 1 day late"
    issued = rules.reply(PackPurpose.SUBJECT_ACCESS, received, today, issued=True, extended=True)
    assert issued == rules.Reply(date(2026, 4, 30), extended=True, first_due=date(2026, 2, 28))
    assert rules.reply(PackPurpose.COURT, received, today, issued=False, extended=True) is None


def test_a_request_s_received_date_stays_within_a_month_before_the_requester_was_told_of_an_extension():
    """Once extended, the day the request was received can be corrected only to one that leaves the
    requester told within the first month: not after they were told, nor more than a month before."""
    referred, today, told = date(2024, 5, 2), date(2026, 12, 6), date(2026, 3, 2)
    assert rules.received_date_problem(date(2026, 2, 2), referred, today, told_on=told) is None
    assert rules.received_date_problem(told, referred, today, told_on=told) is None
    assert rules.received_date_problem(date(2026, 3, 3), referred, today, told_on=told) == (
        "The date the request was received must be on or before 2 March 2026, when the requester was told "
        "the time to reply was extended"
    )
    assert rules.received_date_problem(date(2026, 2, 1), referred, today, told_on=told) == (
        "The date the request was received must be no more than one calendar month before 2 March 2026, "
        "when the requester was told the time to reply was extended"
    )
