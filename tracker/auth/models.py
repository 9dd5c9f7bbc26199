"""People, the agencies they work for, their roles and their signed-in sessions."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad
from sqlmodel import Field, Relationship, SQLModel

from tracker.core.permissions import Permission, Role, permissions_for
from tracker.core.relations import named_by
from tracker.core.types import LabelledEnum, UTCDateTime, enum_field, utcnow


class AgencySector(LabelledEnum):
    POLICE = "Police"
    PROBATION = "Probation"
    PRISONS = "Prisons"
    CHILDRENS_SOCIAL_CARE = "Children's social care"
    ADULT_SOCIAL_CARE = "Adult social care"
    HEALTH = "Health"
    YOUTH_JUSTICE = "Youth justice"
    DWP = "Department for Work and Pensions"
    HOUSING = "Housing"
    EDUCATION = "Education"
    ELECTRONIC_MONITORING = "Electronic monitoring"
    IMMIGRATION = "UK Visas and Immigration"
    OTHER = "Other"
    # The Board's lay advisers: members of the public who see aggregate figures, never case records.
    LAY_ADVISERS = "Lay advisers (no case records)"

    @property
    def is_responsible_authority(self) -> bool:
        return self in RESPONSIBLE_AUTHORITY

    @property
    def is_duty_to_cooperate(self) -> bool:
        outside = (AgencySector.OTHER, AgencySector.LAY_ADVISERS)
        return not self.is_responsible_authority and self not in outside

    @property
    def holds_case_records(self) -> bool:
        """Whether the agency may be sent case records (minutes), own actions or lead a case."""
        return self is not AgencySector.LAY_ADVISERS


RESPONSIBLE_AUTHORITY = frozenset({AgencySector.POLICE, AgencySector.PROBATION, AgencySector.PRISONS})


class Agency(SQLModel, table=True):
    __tablename__ = "agency"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, sa_column_kwargs={"unique": True})
    sector: AgencySector = enum_field(AgencySector, index=True)
    active: bool = Field(default=True)
    # The agency's secure group mailbox, for an agency whose people have no accounts: invitations to the
    # agency and notices of minutes (with a one-time link) go there.
    secure_mailbox: str = Field(default="", max_length=254)

    @property
    def is_responsible_authority(self) -> bool:
        return self.sector.is_responsible_authority

    def audit_label(self) -> str:
        return self.name


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    role: Role = Field(
        sa_column=sa.Column(
            sa.Enum(Role, native_enum=False, length=40, create_constraint=False), primary_key=True
        )
    )

    def audit_label(self) -> str:
        return f"user {self.user_id}: {self.role.label}"


class User(SQLModel, table=True):
    __tablename__ = "user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True})
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="RESTRICT")
    job_title: str = Field(default="", max_length=200)
    password_hash: str | None = Field(default=None, max_length=255)
    active: bool = Field(default=True, index=True)
    # Category 4 (terrorism) cases are visible only to people flagged for them.
    terrorism_cleared: bool = Field(default=False)
    # Until the training register exists this flag says whether a chair has completed chair training.
    chair_trained: bool = Field(default=False)
    # Set by a completed chair course (which a correction of its registers can take back), not by an admin.
    chair_trained_by_course: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_last_counter: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    password_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)

    agency: Agency = Relationship(sa_relationship_kwargs={"lazy": "joined"})
    role_rows: list[UserRole] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def set_roles(self, roles: set[Role]) -> None:
        current = self.roles
        self.role_rows = [row for row in self.role_rows if row.role in roles] + [
            UserRole(role=role) for role in sorted(roles - current, key=lambda r: r.name)
        ]

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_for(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def two_factor_required(self) -> bool:
        from tracker.core.permissions import TWO_FACTOR_ROLES

        return bool(self.roles & TWO_FACTOR_ROLES)

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_secret is not None

    def audit_label(self) -> str:
        return f"{self.name} <{self.email}>"


def people_named(*path) -> _AbstractLoad:
    """Load the people at the end of a path of relationships (`Meeting.chair`, or `Meeting.invitations,
    Invitation.user`) for what a page shows of them, their name and agency, but not their roles: a list
    names its meetings' chairs, it does not ask what they may do (their roles load if something asks)."""
    loader = selectinload(path[0])
    for relationship in path[1:]:
        loader = loader.selectinload(relationship)
    return loader.lazyload(User.role_rows)  # type: ignore[arg-type]


def person_named(relationship) -> _AbstractLoad:
    """The one person a list's row points at (a meeting's chair, a case's lead officer), joined into the
    row's own query for their name; not their agency or roles (each loads if something asks)."""
    return joinedload(relationship).options(lazyload(User.agency), lazyload(User.role_rows))  # type: ignore[arg-type]


class UserSession(SQLModel, table=True):
    """A signed-in browser session. The cookie holds a random token; only its hash is stored here."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Why it ended: signed-out, idle, expired, reset (password), admin, two-factor, access-granted
    # (tracker.auth.sessions.END_MESSAGES says each to the person).
    end_reason: str | None = Field(default=None, max_length=20)
    # Whether the person gave a security code when signing in: a session made with the password alone
    # ends as soon as the person's roles need two-factor sign-in (a role confirmed meanwhile).
    second_factor: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    ip_address: str | None = Field(default=None, max_length=64)
    user_agent: str = Field(default="", max_length=300)

    user: User = Relationship()


class LoginAttempt(SQLModel, table=True):
    """A sign-in attempt, kept to throttle guessing per account and per address."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        sa.Index("ix_login_attempt_email_at", "email", "at"),
        sa.Index("ix_login_attempt_ip_at", "ip_address", "at"),
        sa.Index("ix_login_attempt_device_at", "device", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    ip_address: str = Field(max_length=64)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    succeeded: bool = Field(default=False)
    # pending (claimed before the password is checked), failed, refused (throttled), password (right,
    # security code to follow) or succeeded. Pending and failed attempts count against the limits.
    outcome: str = Field(default="pending", max_length=20, sa_column_kwargs={"server_default": "failed"})
    # The id of a browser that has signed in to this account before (see tracker.auth.throttle).
    device: str | None = Field(default=None, max_length=64)


class Privilege(LabelledEnum):
    """What a second system admin must confirm before an account has it: a role that reads every case
    (the co-ordinator), reaches any case (a MAPPA administrator puts any case on the agenda of a meeting
    it administers, and then sees it), or gives roles, and clearance for Category 4 cases."""

    SYSTEM_ADMIN = "System admin role"
    COORDINATOR = "MAPPA co-ordinator role"
    ADMINISTRATOR = "MAPPA administrator role"
    CATEGORY_4 = "Category 4 clearance"
    # A new email address for an account that has one of the above, or reads case data (or has a part in a
    # meeting or case): its next password link goes there.
    NEW_EMAIL = "New email address"

    @property
    def in_sentence(self) -> str:
        """The label as it reads inside a sentence ("the new email address will take effect"): the label
        itself opens a table cell. MAPPA and Category 4 are names, and keep their capitals."""
        if self.label.startswith(("MAPPA", "Category")):
            return self.label
        return self.label[0].lower() + self.label[1:]

    @property
    def role(self) -> Role | None:
        return Role[self.name] if self.name in Role.__members__ else None


class GrantOutcome(LabelledEnum):
    WAITING = "Waiting for a second system admin"
    CONFIRMED = "Confirmed"
    REFUSED = "Refused"
    WITHDRAWN = "Withdrawn"


class AccessGrant(SQLModel, table=True):
    """One admin asked for an account to be given a privilege; it takes effect only when another confirms
    it (four eyes: neither the admin who asked nor the person it is for)."""

    __tablename__ = "access_grant"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="RESTRICT")
    privilege: Privilege = enum_field(Privilege)
    outcome: GrantOutcome = enum_field(GrantOutcome, default=GrantOutcome.WAITING, index=True)
    requested_by_id: int = Field(foreign_key="user.id", ondelete="RESTRICT")
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # What the privilege is (the new email address); empty for a role or clearance.
    detail: str = Field(default="", max_length=254)

    user: "User" = named_by("AccessGrant.user_id")
    requested_by: "User" = named_by("AccessGrant.requested_by_id")

    @property
    def described(self) -> str:
        return f"{self.privilege.label} ({self.detail})" if self.detail else self.privilege.label

    @property
    def in_sentence(self) -> str:
        """What is asked for as it reads inside a sentence ("the new email address (…)")."""
        return f"{self.privilege.in_sentence} ({self.detail})" if self.detail else self.privilege.in_sentence

    def audit_label(self) -> str:
        return f"{self.described} for user {self.user_id}: {self.outcome.label.lower()}"


class MailboxChange(SQLModel, table=True):
    """One admin asked for an agency's secure mailbox to change; it changes only when another confirms it
    (four eyes, as for a wide-access account's email address): the mailbox is where the agency's
    invitations and links to minutes go, so whoever reads the new address reads those."""

    __tablename__ = "mailbox_change"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="RESTRICT")
    address: str = Field(max_length=254)
    # The mailbox when it was asked for (told of the change once it is confirmed).
    old_address: str = Field(default="", max_length=254)
    outcome: GrantOutcome = enum_field(GrantOutcome, default=GrantOutcome.WAITING, index=True)
    requested_by_id: int = Field(foreign_key="user.id", ondelete="RESTRICT")
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    agency: Agency = Relationship()
    requested_by: "User" = named_by("MailboxChange.requested_by_id")

    @property
    def described(self) -> str:
        return f"New secure mailbox ({self.address or 'none'})"

    @property
    def in_sentence(self) -> str:
        return f"new secure mailbox ({self.address or 'none'})"

    def audit_label(self) -> str:
        return f"{self.described} for agency {self.agency_id}: {self.outcome.label.lower()}"


class PasswordReset(SQLModel, table=True):
    """A one-time link an admin made so that a person can set a new password."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Shown on screen to the admin who made it, to hand over (rather than emailed to the person): that
    # admin could have set the password through it.
    shown_to_admin: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_by: User | None = named_by("PasswordReset.created_by_id")

    def audit_label(self) -> str:
        return f"password reset link for user {self.user_id}"


class AccountInvitation(SQLModel, table=True):
    """An account the TRSG asked for, for a trained chair who has a training record but no account; once a
    system admin approves it, a one-time link emailed to the chair: following it sets a password, and the
    new account takes over the training record (so their training history is kept). Only the hash of the
    link's token is kept."""

    __tablename__ = "account_invitation"

    id: int | None = Field(default=None, primary_key=True)
    trainee_id: int = Field(foreign_key="trainee.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When a system admin approved the account the TRSG asked for, and the link was emailed: until then no
    # link works (the token kept is one no one was given).
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When a system admin refused it, and why: the TRSG reads both on the chairs' register.
    refused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    refusal_reason: str | None = Field(default=None, sa_type=sa.Text)
    # The account made by following the link.
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_by: User | None = named_by("AccountInvitation.created_by_id")

    def audit_label(self) -> str:
        return f"account invitation for trainee {self.trainee_id}"
