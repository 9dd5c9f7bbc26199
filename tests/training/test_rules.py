"""Training rules with plain values: years, lapses, chair status, completion, waiting lists, uploads."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tracker.core.pillars import Pillar
from tracker.training import codes, rules
from tracker.training.models import EnrolmentStatus, Mark, TraineeRole
from tracker.training.rules import ChairState

# Reporting years -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start_year"),
    [
        (date(2024, 4, 1), 2024),
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2024, 12, 31), 2024),
        (date(2025, 1, 1), 2024),
    ],
)
def test_the_reporting_year_runs_from_1_april_to_31_march(day, start_year):
    year = rules.reporting_year_of(day)
    assert year.start_year == start_year
    assert day in year


def test_a_reporting_year_is_named_like_2024_25_and_knows_its_days():
    year = rules.ReportingYear(2024)
    assert year.label == "2024/25"
    assert (year.first_day, year.last_day) == (date(2024, 4, 1), date(2025, 3, 31))
    assert date(2024, 3, 31) not in year
    assert rules.ReportingYear(1999).label == "1999/00"


# Months and the CPD lapse -----------------------------------------------------------------------------


def test_months_before_and_after_keep_to_the_end_of_a_shorter_month():
    assert rules.months_before(date(2025, 5, 31), 1) == date(2025, 4, 30)
    assert rules.months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert rules.months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert rules.months_after(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert rules.months_before(date(2025, 1, 15), 12) == date(2024, 1, 15)


def test_cpd_lapses_on_the_same_day_a_year_later_or_the_first_of_the_month_after():
    assert rules.lapses_on(date(2024, 6, 12), 12) == date(2025, 6, 12)
    assert rules.lapses_on(date(2025, 1, 31), 1) == date(2025, 3, 1)
    assert rules.lapses_on(date(2024, 2, 29), 12) == date(2025, 3, 1)
    assert rules.lapses_on(date(2024, 12, 15), 1) == date(2025, 1, 15)


def test_the_lapse_date_is_the_first_day_the_register_threshold_counts_as_lapsed():
    # The register filters in SQL with `reference <= months_before(today, n)`; the lapse date shown must
    # be exactly the first day on which that is true (months_before never goes backwards).
    start = date(2023, 12, 1)
    for months in (1, 12, 13):
        for offset in range(800):
            reference = start + timedelta(days=offset)
            due = rules.lapses_on(reference, months)
            assert rules.months_before(due, months) >= reference
            assert rules.months_before(due - timedelta(days=1), months) < reference


# Chair status --------------------------------------------------------------------------------------


def test_a_chair_without_training_is_awaiting_training():
    status = rules.chair_status(None, None, date(2025, 6, 1), 12, 2)
    assert status.state is ChairState.AWAITING_TRAINING
    assert not status.may_chair
    assert status.label == "Awaiting training"


def test_a_newly_trained_chair_is_trained_until_a_year_after_training():
    status = rules.chair_status(date(2025, 1, 20), None, date(2025, 6, 1), 12, 2)
    assert status.state is ChairState.TRAINED
    assert status.cpd_due_by == date(2026, 1, 20)
    assert not status.cpd_due_soon
    assert status.may_chair


def test_cpd_lapses_on_the_day_twelve_months_after_the_last_cpd_and_not_the_day_before():
    last_cpd = date(2024, 6, 12)
    day_before = rules.chair_status(date(2024, 5, 14), last_cpd, date(2025, 6, 11), 12, 2)
    on_the_day = rules.chair_status(date(2024, 5, 14), last_cpd, date(2025, 6, 12), 12, 2)
    assert day_before.state is ChairState.TRAINED
    assert on_the_day.state is ChairState.CPD_LAPSED
    assert on_the_day.label == "CPD lapsed"


def test_cpd_is_due_soon_within_the_warning_window():
    last_cpd = date(2024, 12, 4)  # lapses on 4 December 2025
    assert not rules.chair_status(date(2024, 5, 14), last_cpd, date(2025, 10, 3), 12, 2).cpd_due_soon
    due = rules.chair_status(date(2024, 5, 14), last_cpd, date(2025, 10, 4), 12, 2)
    assert due.cpd_due_soon and due.state is ChairState.TRAINED
    assert due.label == "Trained, CPD due soon"
    assert not rules.chair_status(date(2024, 5, 14), last_cpd, date(2025, 10, 4), 12, 0).cpd_due_soon


def test_the_latest_of_training_and_cpd_starts_the_clock_and_the_pillar_is_kept():
    status = rules.chair_status(
        date(2025, 1, 21), date(2024, 6, 12), date(2025, 12, 1), 12, 2, last_cpd_pillar=Pillar.SUPERVISION
    )
    assert status.cpd_due_by == date(2026, 1, 21)
    assert status.last_cpd_pillar is Pillar.SUPERVISION


def test_an_account_marked_trained_without_a_record_relies_on_recorded_cpd():
    with_cpd = rules.chair_status(None, date(2025, 3, 1), date(2025, 6, 1), 12, trained_without_record=True)
    without = rules.chair_status(None, None, date(2025, 6, 1), 12, trained_without_record=True)
    assert with_cpd.state is ChairState.TRAINED
    assert without.state is ChairState.CPD_LAPSED


def test_cpd_thresholds_give_the_same_answers_as_chair_status():
    today = date(2025, 3, 31)
    limits = rules.cpd_thresholds(today, 12, 2)
    for offset in range(-500, 10):
        latest = today + timedelta(days=offset)
        status = rules.chair_status(latest, None, today, 12, 2)
        assert (status.state is ChairState.CPD_LAPSED) == (latest <= limits.lapsed_if_on_or_before)
        due_soon = latest > limits.lapsed_if_on_or_before and latest <= limits.due_soon_if_on_or_before
        assert status.cpd_due_soon == due_soon, latest


# Completion and CPD --------------------------------------------------------------------------------

DAY1, DAY2 = date(2025, 5, 12), date(2025, 5, 13)


@pytest.mark.parametrize("mark", [Mark.PRESENT, Mark.LATE])
def test_present_and_late_count_towards_completion_by_default(mark):
    result = rules.outcome([(DAY1, Mark.PRESENT), (DAY2, mark)], 0)
    assert result.complete
    assert result.completed_on == DAY2
    assert result.sessions_attended == 2


def test_left_early_does_not_count_by_default_and_earns_no_cpd_for_that_session():
    result = rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.LEFT_EARLY)], 360)
    assert not result.complete
    assert result.sessions_attended == 1
    assert result.cpd_minutes == 180
    assert result.last_attended_on == DAY1


def test_a_course_may_count_left_early_as_attending():
    rule = rules.CompletionRule(frozenset({Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY}))
    result = rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.LEFT_EARLY)], 0, rule)
    assert result.complete and result.completed_on == DAY2


def test_a_course_may_need_fewer_sessions_than_it_has_and_completes_on_the_day_it_reaches_them():
    rule = rules.CompletionRule(sessions_required=2)
    day3 = DAY2 + timedelta(days=1)
    both = rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.ABSENT), (day3, Mark.LATE)], 0, rule)
    assert both.complete and both.completed_on == day3
    all_three = rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.PRESENT), (day3, Mark.PRESENT)], 0, rule)
    assert all_three.completed_on == DAY2
    one = rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.ABSENT), (day3, None)], 0, rule)
    assert not one.complete


def test_needing_more_sessions_than_are_scheduled_means_every_session():
    rule = rules.CompletionRule(sessions_required=5)
    assert rule.required_of(2) == 2
    assert rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.PRESENT)], 0, rule).complete
    assert not rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.ABSENT)], 0, rule).complete


def test_the_completion_rule_is_described_in_words():
    assert rules.DEFAULT_RULE.describe(2) == (
        "Present and late count as attending. A person completes the event by attending every session."
    )
    rule = rules.CompletionRule(frozenset({Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY}), 1)
    assert rule.describe(2) == (
        "Present, late and left early count as attending. A person completes the event by attending "
        "1 session of 2."
    )


def test_outcomes_are_set_once_the_last_session_has_ended():
    ends = datetime(2025, 5, 13, 15, 30, tzinfo=UTC)
    assert not rules.event_ended(None, ends)  # no scheduled session: it never ends
    assert not rules.event_ended(ends, ends - timedelta(minutes=1))
    assert rules.event_ended(ends, ends)
    assert rules.event_ended(ends, ends + timedelta(days=1))


def test_marks_entered_after_the_day_are_taken_from_paper():
    assert not rules.from_paper(DAY1, DAY1)
    assert rules.from_paper(DAY1, DAY2)


def test_an_absence_or_an_unmarked_session_means_not_complete():
    absent = rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.ABSENT)], 0)
    unmarked = rules.outcome([(DAY1, Mark.PRESENT), (DAY2, None)], 0)
    assert not absent.complete and not unmarked.complete
    assert absent.last_attended_on == DAY1
    assert absent.sessions_attended == 1
    assert not rules.outcome([], 180).complete


def test_cpd_minutes_are_earned_session_by_session():
    assert rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.PRESENT)], 360).cpd_minutes == 360
    assert rules.outcome([(DAY1, Mark.PRESENT), (DAY2, Mark.ABSENT)], 360).cpd_minutes == 180
    assert rules.outcome([(DAY1, Mark.ABSENT)], 180).cpd_minutes == 0


def test_hours_read_naturally():
    assert rules.format_hours(90) == "1.5"
    assert rules.format_hours(360) == "6"
    assert rules.format_hours(0) == "0"


def test_an_event_has_begun_once_its_first_session_has_started():
    start = datetime(2024, 12, 1, 9, 30, tzinfo=UTC)
    assert not rules.event_begun(start, start - timedelta(minutes=1))
    assert rules.event_begun(start, start)
    assert not rules.event_begun(None, start)


def test_attendance_rate_counts_attendances_among_marks():
    marks = [Mark.PRESENT, Mark.LATE, Mark.ABSENT, Mark.LEFT_EARLY]
    # As the completion rule counts them: left early is attending only where the course says so.
    assert rules.attendance_rate(marks) == 0.5
    with_left_early = rules.CompletionRule(frozenset({Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY}))
    assert rules.attendance_rate(marks, with_left_early) == 0.75
    assert rules.attendance_rate([]) is None


def test_a_register_opens_on_the_day_of_its_session():
    assert not rules.register_open(DAY1, DAY1 - timedelta(days=1))
    assert rules.register_open(DAY1, DAY1)
    assert rules.register_open(DAY1, DAY2)


# The waiting list ----------------------------------------------------------------------------------


def test_people_take_places_until_the_event_is_full_then_wait():
    assert rules.placement(19, 20) is EnrolmentStatus.ENROLLED
    assert rules.placement(20, 20) is EnrolmentStatus.WAITING


def test_the_waiting_list_moves_up_first_come_first_served():
    assert rules.move_up([7, 3, 9], 1) == ([7], [3, 9])
    assert rules.move_up([7, 3, 9], 5) == ([7, 3, 9], [])
    assert rules.move_up([7, 3], 0) == ([], [7, 3])
    assert rules.move_up([7, 3], -2) == ([], [7, 3])


# Uploads -------------------------------------------------------------------------------------------

AGENCIES = {"metropolitan police service": 1, "probation service (london)": 2}


def test_an_upload_is_read_with_line_numbers_skipping_the_header_and_blank_lines():
    data = "name,email,agency\r\nJo Bloggs,Jo@Example.org,Metropolitan Police Service\r\n\r\nAl Smith,al@example.org,Probation Service (London),administrator\r\n"
    rows = rules.read_upload(data.encode("utf-8-sig"))
    assert [row["line"] for row in rows] == [2, 4]
    assert rows[0]["email"] == "jo@example.org"
    assert rows[1]["role"] == "administrator"


def test_an_upload_in_windows_encoding_is_read():
    rows = rules.read_upload("Siân O’Neill,sian@example.org,Metropolitan Police Service\n".encode("cp1252"))
    assert rows[0]["name"] == "Siân O’Neill"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The selected file is empty"),
        (b"name,email,agency\n", "The selected file is empty"),
        (b"a,b,c,d,e\n", "Line 1 has more than 4 columns"),
        (("x,x@example.org,y\n" * (rules.MAX_UPLOAD_ROWS + 1)).encode(), "500 people or fewer"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_whole(data, message):
    with pytest.raises(rules.UploadProblem, match=message):
        rules.read_upload(data)


def test_each_row_is_checked_and_every_error_is_reported():
    rows = [
        {
            "line": 1,
            "name": "Jo Bloggs",
            "email": "jo@example.org",
            "agency": "Metropolitan  Police Service",
            "role": "",
        },
        {"line": 2, "name": "", "email": "not-an-email", "agency": "Ministry of Magic", "role": "wizard"},
        {
            "line": 3,
            "name": "Jo Again",
            "email": "jo@example.org",
            "agency": "Probation Service (London)",
            "role": "",
        },
        {
            "line": 4,
            "name": "Already Here",
            "email": "here@example.org",
            "agency": "probation service (london)",
            "role": "Chair",
        },
    ]
    checked = rules.check_rows(rows, AGENCIES, already_enrolled={"here@example.org"})
    assert checked[0].errors == [] and checked[0].agency_id == 1
    assert checked[1].errors == [
        "Enter the person's name",
        "Enter an email address in the correct format, like name@example.com",
        "'Ministry of Magic' is not an agency in the tracker",
        "Role must be chair, administrator or staff, or left blank",
    ]
    assert checked[2].errors == ["The same email address is on line 1"]
    assert checked[3].errors == ["This person is already enrolled on this event"]
    assert checked[3].role is TraineeRole.CHAIR


# Certificates --------------------------------------------------------------------------------------


def test_only_a_completed_outcome_has_a_certificate():
    assert rules.certificate_kind(True, True) == "completion"
    assert rules.certificate_kind(False, True) == "attendance"
    assert rules.certificate_kind(True, False) is None
    assert rules.certificate_kind(False, False) is None


def test_days_are_described_as_people_write_them():
    assert rules.describe_days([date(2024, 6, 12)]) == "12 June 2024"
    assert rules.describe_days([date(2024, 5, 14), date(2024, 5, 13)]) == "13 and 14 May 2024"
    assert rules.describe_days([date(2024, 6, 30), date(2024, 7, 1)]) == "30 June and 1 July 2024"
    assert (
        rules.describe_days([date(2024, 12, 31), date(2025, 1, 1)]) == "31 December 2024 and 1 January 2025"
    )
    assert rules.describe_days([]) == ""


def test_overview_rates_round_halves_up_as_a_spreadsheet_does():
    from tracker.training.overview import percent

    assert percent(1 / 8) == "13%" and percent(0.625) == "63%" and percent(None) == ""


# Enrolment rules -----------------------------------------------------------------------------------


def test_one_place_per_person_per_course():
    enrolment_conflict = rules.enrolment_conflict

    assert enrolment_conflict("Rosa Delgado", "MAPPA Chair Training", []) is None
    assert enrolment_conflict("Rosa Delgado", "MAPPA Chair Training", ["Spring cohort"]) == (
        "Rosa Delgado already has a place on MAPPA Chair Training (Spring cohort): one place per person "
        "per course"
    )


def test_completed_chairs_are_not_offered_another_chair_course():
    enrolment_conflict = rules.enrolment_conflict

    message = enrolment_conflict("Tom Ashby", "Chairing Level 3", [], True, "MAPPA Chair Training")
    assert message == (
        "Tom Ashby has already completed a chair course (MAPPA Chair Training): completed chairs are not "
        "offered places on another chair course"
    )
    # Only a chair course is closed to them.
    assert enrolment_conflict("Tom Ashby", "Briefing", [], False, "MAPPA Chair Training") is None


def test_the_waiting_list_passes_over_those_it_must_skip():
    move_up = rules.move_up

    assert move_up([1, 2, 3, 4], 2, {2}) == ([1, 3], [2, 4])
    assert move_up([1, 2], 1, {1, 2}) == ([], [1, 2])
    assert move_up([1, 2, 3], 1) == ([1], [2, 3])


def test_sessions_on_weekends_and_bank_holidays_are_named():
    session_day_warning, session_day_warnings = rules.session_day_warning, rules.session_day_warnings

    assert session_day_warning("Day 2", date(2025, 4, 18)) == (
        "Day 2, Friday 18 April 2025, is a bank holiday (Good Friday)"
    )
    assert session_day_warning("Day 1", date(2025, 8, 25)) == (
        "Day 1, Monday 25 August 2025, is a bank holiday (Summer bank holiday)"
    )
    assert session_day_warning("Day 1", date(2025, 4, 19)) == "Day 1, Saturday 19 April 2025, is at the weekend"
    # Beyond the published GOV.UK data, the holidays are worked out by their rules.
    assert session_day_warning("Day 1", date(2040, 3, 30)) == (
        "Day 1, Friday 30 March 2040, is a bank holiday (Good Friday)"
    )
    assert session_day_warnings([("Day 1", date(2025, 4, 17)), ("Day 2", date(2025, 4, 22))]) == []


# Certificate codes ---------------------------------------------------------------------------------


def test_a_certificate_code_is_ten_unambiguous_characters_printed_in_two_groups():
    code = codes.new_code()
    assert len(code) == 10 and set(code) <= set(codes.ALPHABET)
    assert not set("ILOU") & set(codes.ALPHABET)
    assert codes.display(code) == f"{code[:5]}-{code[5:]}"
    assert len({codes.new_code() for _ in range(200)}) == 200


def test_a_typed_code_is_read_leniently_and_anything_else_is_refused():
    assert codes.normalise(" 7kq2m-xh93d ") == "7KQ2MXH93D"
    assert codes.normalise("7KQ2M XH93O") == "7KQ2MXH930"  # O read as zero
    assert codes.normalise("IL000-00000") == "1100000000"
    assert codes.normalise("7KQ2M-XH93") is None
    assert codes.normalise("7KQ2M-XH93U") is None
    assert codes.normalise("") is None


def test_an_agency_that_holds_no_case_records_sends_no_one_as_chair_or_administrator():
    def refused(role, holds):
        return rules.role_refused("Ann Lee", role, set(), "Lay Advisers", holds)

    assert refused(TraineeRole.CHAIR, False).startswith("Ann Lee is in Lay Advisers, which holds no case")
    assert "cannot attend as a MAPPA administrator" in refused(TraineeRole.ADMINISTRATOR, False)
    assert refused(TraineeRole.STAFF, False) is None
    assert refused(TraineeRole.CHAIR, True) is None
