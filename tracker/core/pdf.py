"""What every PDF the tracker makes shares: the embedded font.

DejaVu Sans (shipped in tracker/core/data with its licence) covers the accented letters of people's
names that reportlab's built-in fonts lack, and reportlab embeds the subset each document uses.
"""

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FOLDER = Path(__file__).resolve().parent / "data"


@cache
def register_fonts() -> None:
    """Register the font family with reportlab, once per process."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FOLDER / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_FOLDER / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
