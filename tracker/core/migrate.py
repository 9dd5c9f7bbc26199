"""Running the Alembic migrations from the app (the command line and the tests use this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head", connection=None) -> None:
    command.upgrade(alembic_config(url, connection), revision)


def create_indexes(table: str, *columns: str) -> None:
    """Index each of a table's columns on its own, under SQLAlchemy's name for it (``ix_<table>_<column>``).

    For the migrations; what it creates must never change, since migrations already run depend on it.
    """
    from alembic import op

    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
