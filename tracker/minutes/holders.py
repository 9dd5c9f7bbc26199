"""Who has which version of approved minutes: to whom each version was sent and when, who had an earlier
version but has not been sent the one that stands, and so who the distribution page ticks to start with.
Approved minutes are never edited in place: a correction is a new version, and it goes to everyone who had
the version it replaces (and to whoever the meeting's own rule ticks, `recipients.recipients_to_tick`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col

from tracker.auth.models import Agency, User
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date
from tracker.meetings.models import Meeting
from tracker.minutes import recipients
from tracker.minutes.models import Minutes, MinutesRecipient, MinutesVersion

Key = tuple[int, int | None]


def reached_as(recipient: MinutesRecipient) -> Key:
    """The recipient as minutes would reach them now: someone who may no longer be sent them by name (a
    leaver, or someone who no longer reads case records) is reached through their agency."""
    person = recipients.named_recipient(recipient.user)
    return recipient.agency_id, person.id if person else None


def choice_value(key: Key) -> str:
    """The distribution form's value for a recipient ("agency id:person id")."""
    agency_id, person_id = key
    return f"{agency_id}:{person_id or ''}"


@dataclass
class Holder:
    """Someone (a person, or an agency with no one named) sent earlier versions of the minutes."""

    agency: Agency
    person: User | None
    versions: list[int] = field(default_factory=list)

    @property
    def key(self) -> Key:
        return self.agency.id, self.person.id if self.person else None

    @property
    def name(self) -> str:
        return f"{self.person.name}, {self.agency.name}" if self.person else self.agency.name

    @property
    def had(self) -> str:
        """"had version 1", "had versions 1 and 2"."""
        numbers = [str(number) for number in self.versions]
        if len(numbers) == 1:
            return f"had version {numbers[0]}"
        return f"had versions {', '.join(numbers[:-1])} and {numbers[-1]}"

    @property
    def offered(self) -> bool:
        """Whether the distribution page still offers the agency (an agency made inactive, or one that no
        longer holds case records, is not)."""
        return self.agency.active and self.agency.sector.holds_case_records

    @property
    def out_of_reach(self) -> str:
        """Why the tracker can no longer send the agency minutes ("now inactive"), or "" when it can."""
        if not self.agency.active:
            return "now inactive"
        return "" if self.agency.sector.holds_case_records else "no longer holds case records"


def earlier_holders(minutes: Minutes, version: MinutesVersion) -> list[Holder]:
    """Everyone sent a version before this one, as minutes would reach them now, with the versions they
    had, in the order they were first sent one."""
    holders: dict[Key, Holder] = {}
    for earlier in sorted(minutes.versions, key=lambda v: v.number):
        if earlier.number >= version.number:
            break
        for recipient in earlier.recipients:
            key = reached_as(recipient)
            holder = holders.setdefault(key, Holder(recipient.agency, recipient.user if key[1] else None))
            if earlier.number not in holder.versions:
                holder.versions.append(earlier.number)
    return list(holders.values())


def not_sent(minutes: Minutes | None, version: MinutesVersion | None) -> tuple[list[Holder], list[Holder]]:
    """Those who had an earlier version of the minutes and have not been sent this approved one (none for
    a version not approved: a correction goes out once the chair approves it): those it can still be sent
    to, and the agencies it cannot (made inactive since, or no longer holding case records: the
    distribution page does not offer them, so a warning to send it to them could never be acted on)."""
    if minutes is None or version is None or version.approved_at is None or version.number == 1:
        return [], []
    have = {reached_as(recipient) for recipient in version.recipients}
    missing = [holder for holder in earlier_holders(minutes, version) if holder.key not in have]
    return [h for h in missing if h.offered], [h for h in missing if not h.offered]


@dataclass(frozen=True)
class Sent:
    """One recipient of a version, and when it was sent to them."""

    recipient: MinutesRecipient
    at: datetime | None

    @property
    def name(self) -> str:
        person = self.recipient.user
        return f"{person.name}, {self.recipient.agency.name}" if person else self.recipient.agency.name


def sent_to(version: MinutesVersion | None) -> list[Sent]:
    """To whom this version was sent and when: each recipient's time from the audit trail's record of the
    distribution, or (for minutes recorded without one, such as the demo's) the version's first
    distribution."""
    if version is None or not version.recipients:
        return []
    ids = [str(recipient.id) for recipient in version.recipients]
    when = dict(
        db.session.execute(
            sa.select(AuditEvent.object_id, sa.func.min(AuditEvent.at))
            .where(
                AuditEvent.action == "distribute",
                AuditEvent.object_type == MinutesRecipient.__name__,
                col(AuditEvent.object_id).in_(ids),
            )
            .group_by(AuditEvent.object_id)
        ).all()
    )
    return [Sent(r, when.get(str(r.id), version.distributed_at)) for r in version.recipients]


@dataclass(frozen=True)
class Ticks:
    """The distribution page's choices ticked to start with, and the hint beside a choice: why it is
    ticked, or when this version was already sent to it."""

    values: list[str]
    hints: dict[str, str]


def to_tick(meeting: Meeting, minutes: Minutes, choices: list[tuple[str, str]]) -> Ticks:
    """The meeting's own rule (those who attended, and the agencies that own an action or sent a deputy)
    and, for a correction, everyone who had an earlier version; never anyone this version was already
    sent to."""
    version = minutes.current
    offered = [value for value, _label in choices]
    reasons = {value: [reason] for value, reason in recipients.reasons_to_tick(meeting, choices).items()}
    for holder in earlier_holders(minutes, version):
        value = _offered_value(holder.key, offered)
        if value is not None:
            reasons.setdefault(value, []).append(holder.had)
    hints = {value: _sentence(said) for value, said in reasons.items()}
    already = set()
    for sent in sent_to(version):
        value = choice_value(reached_as(sent.recipient))
        if value in offered and value not in already:
            already.add(value)
            hints[value] = f"Sent version {version.number} on {format_date(sent.at)}"
    return Ticks([value for value in offered if value in reasons and value not in already], hints)


def _offered_value(key: Key, offered: list[str]) -> str | None:
    """The choice that reaches this recipient: them by name, or else their agency, if still offered."""
    for value in (choice_value(key), choice_value((key[0], None))):
        if value in offered:
            return value
    return None


def _sentence(reasons: list[str]) -> str:
    text = " and ".join(reasons)
    return text[:1].upper() + text[1:]
