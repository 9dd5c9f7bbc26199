"""Certificate verification codes: ten characters of Crockford's base32 (50 random bits), printed in two
groups of five ("7KQ2M-XH93D") so that they are short enough to type from paper and too many to guess.

Crockford's alphabet leaves out I, L, O and U, so a code read aloud or typed from a print cannot be
mistaken: what someone types is read back leniently (any case, spaces and dashes ignored, O as 0, I and
L as 1).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh code as stored: ten characters, no separator."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """A stored code as printed: two groups of five joined by a dash."""
    return f"{code[:5]}-{code[5:]}" if len(code) == LENGTH else code


def normalise(typed: str) -> str | None:
    """What someone typed as a stored code, or None when it cannot be one (wrong length or letters)."""
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned
