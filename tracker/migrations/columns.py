"""The column definitions the migrations repeat (ids, times in UTC, enums kept as text, foreign keys), each
built exactly as Alembic's autogenerate wrote it out in full.

What these build must never change: migrations already run depend on them making the same schema. A change
of type, length or nullability belongs in a new migration, written out where it happens.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes

import tracker.core.types

# The plural helpers make one column per name, in the order given, each with the same ``options`` (a
# server_default, say) passed to sa.Column as they are.


def id_column() -> sa.Column:
    """The integer id most tables have first (tracker.core.migrate.create_table_with_id adds it, and its
    primary key)."""
    return sa.Column("id", sa.Integer(), nullable=False)


def integers(*names: str, nullable: bool = False, **options) -> list[sa.Column]:
    return [sa.Column(name, sa.Integer(), nullable=nullable, **options) for name in names]


def booleans(*names: str, nullable: bool = False, **options) -> list[sa.Column]:
    return [sa.Column(name, sa.Boolean(), nullable=nullable, **options) for name in names]


def texts(*names: str, nullable: bool = False, **options) -> list[sa.Column]:
    return [sa.Column(name, sa.Text(), nullable=nullable, **options) for name in names]


def dates(*names: str, nullable: bool = False, **options) -> list[sa.Column]:
    return [sa.Column(name, sa.Date(), nullable=nullable, **options) for name in names]


def json_columns(*names: str, nullable: bool = False, **options) -> list[sa.Column]:
    return [sa.Column(name, sa.JSON(), nullable=nullable, **options) for name in names]


def utc_times(*names: str, nullable: bool = False, **options) -> list[sa.Column]:
    """Timestamps kept in UTC (tracker.core.types.UTCDateTime)."""
    return [
        sa.Column(name, tracker.core.types.UTCDateTime(timezone=True), nullable=nullable, **options)
        for name in names
    ]


def strings(length: int, *names: str, nullable: bool = False, **options) -> list[sa.Column]:
    """Strings of at most ``length`` characters (SQLModel's AutoString, as the models declare them)."""
    return [
        sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable, **options)
        for name in names
    ]


def enum_column(name: str, enum_name: str, *values: str, nullable: bool = False, **options) -> sa.Column:
    """An enum kept as its members' names in a 40-character string column (no native database enum);
    ``options`` go to the sa.Enum (create_constraint, for one)."""
    return sa.Column(
        name, sa.Enum(*values, name=enum_name, native_enum=False, length=40, **options), nullable=nullable
    )


def foreign_keys(ondelete: str = "RESTRICT", **tables: str) -> list[sa.ForeignKeyConstraint]:
    """A foreign key from each named column to the id of its table, in the order given."""
    return [
        sa.ForeignKeyConstraint([column], [f"{table}.id"], ondelete=ondelete)
        for column, table in tables.items()
    ]


def when_and_who(*steps: str, nullable: bool = True) -> list[sa.Column]:
    """For each step, the time it was taken (``<step>_at``, in UTC) and the user id of who took it
    (``<step>_by_id``), side by side."""
    return [
        column
        for step in steps
        for column in (
            *utc_times(f"{step}_at", nullable=nullable),
            *integers(f"{step}_by_id", nullable=nullable),
        )
    ]
