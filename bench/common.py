"""What the benchmarks share."""

from __future__ import annotations

import sqlalchemy as sa


def analyze(engine: sa.Engine) -> None:
    """Give PostgreSQL's planner statistics for the rows just bulk-loaded, as autovacuum would within a
    minute or so on a live server (outside a transaction: statistics gathered in one that rolls back are
    lost). SQLite's planner is measured as the app leaves it, without ANALYZE."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
