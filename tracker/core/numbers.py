"""Numbers as people read them: rounded the way a spreadsheet rounds, so exports and pages agree."""

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, places: int = 0) -> Decimal:
    """Rounded as people and spreadsheets do, halves upwards: 12.5 → 13, 3.25 → 3.3.

    Python's `round` and format strings round halves to the even neighbour (12.5 → 12), which makes
    a share of 1 in 8 read 12% here and 13% in a spreadsheet. Float noise is trimmed first, so a
    value a hair under the half (0.285 * 100 is 28.499999999999996) still counts as the half.
    """
    trimmed = Decimal(repr(value)).quantize(Decimal("1e-9"))
    return trimmed.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
