"""Finding rows by what a person typed into a search box: every word, in any order, each part of one of the
columns searched, letter case and spacing aside. LIKE's wildcards typed (% and _) are matched as
themselves, so "%" finds what contains a percent sign rather than everything."""

from __future__ import annotations

import sqlalchemy as sa

# A search of more words than this looks for the first ones only: no one types so many, and each word
# adds a clause to the query.
MAX_WORDS = 10


def words(text: str) -> list[str]:
    """The distinct words of `text` in lower case, in the order typed (at most MAX_WORDS of them)."""
    return list(dict.fromkeys(text.lower().split()))[:MAX_WORDS]


def every_word_in(text: str, *columns: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
    """A WHERE clause: each word of `text` is part of one of `columns`, in any order ("Whitlock  Jason"
    finds "Jason Whitlock"); true when `text` has no words."""
    return sa.and_(
        sa.true(),
        *(
            sa.or_(*(sa.func.lower(column).contains(word, autoescape=True) for column in columns))
            for word in words(text)
        ),
    )
