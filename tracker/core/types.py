"""Column types and helpers shared by every model."""

import enum
from datetime import UTC, datetime
from typing import Self

import sqlalchemy as sa
from sqlmodel import Field


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware UTC datetime (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_field(enum_cls: type[enum.Enum], *, default=None, nullable: bool = False, index: bool = False):
    """A field that stores a Python enum by name, without a database-specific enum type."""
    column = sa.Column(
        sa.Enum(enum_cls, native_enum=False, validate_strings=True, length=40, create_constraint=False),
        nullable=nullable,
        index=index,
    )
    if default is None and nullable:
        return Field(default=None, sa_column=column)
    return Field(default=default, sa_column=column)


def timestamp_field(*, nullable: bool = False, index: bool = False, default_now: bool = True):
    if default_now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=nullable, index=index)
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


class LabelledEnum(enum.Enum):
    """An enum whose members carry a label for people to read; stored by name."""

    def __new__(cls, label: str):
        obj = object.__new__(cls)
        obj._value_ = label
        return obj

    @property
    def label(self) -> str:
        return self.value

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.name, member.label) for member in cls]


class SluggedEnum(LabelledEnum):
    """A labelled enum whose members also name a page in its address ("victim-safety-planning")."""

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def from_slug(cls, slug: str) -> Self | None:
        return cls.__members__.get(slug.upper().replace("-", "_"))
