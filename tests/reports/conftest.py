"""Every test here ends with the kept counts equal to a full recount (tests/kept_counts.py)."""

from tests.kept_counts import counts_stay_kept  # noqa: F401
