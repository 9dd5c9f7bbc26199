"""Figures the co-ordinator enters for a year, and shares of a whole as the reports show them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from tracker.core.numbers import round_half_up

# Entered figures -------------------------------------------------------------------------------------


def figures_problems(values: Mapping[str, int | Decimal | None]) -> dict[str, str]:
    """Checks across the entered figures (each is already a whole number of 0 or more): a part cannot be
    more than its whole. Returns {field: message}."""
    problems = {}
    imposed, travel = values.get("shpo_imposed"), values.get("shpo_foreign_travel")
    if travel is not None and imposed is not None and travel > imposed:
        problems["shpo_foreign_travel"] = (
            "Orders with foreign travel restrictions must be no more than the Sexual Harm Prevention "
            "Orders imposed"
        )
    if values.get("population_source") and not values.get("population"):
        problems["population"] = "Enter the population aged 10 and over that the source gives"
    elif values.get("population") and not values.get("population_source"):
        problems["population_source"] = "Enter where the population figure comes from"
    return problems


# Shares ----------------------------------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to measure."""
    return part / whole if whole else None


def percent(value: float | None) -> str:
    """A share as a whole percentage, halves rounded up as the other areas and spreadsheets round."""
    return "No data" if value is None else f"{round_half_up(value * 100)}%"


def one_decimal(value: float) -> str:
    """An average to one decimal place (3.25 → 3.3), as the evaluation results show it."""
    return f"{round_half_up(value, 1)}"
