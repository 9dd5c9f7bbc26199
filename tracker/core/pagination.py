"""Pages of results counted and sliced in SQL, and the parameters the GOV.UK pagination component wants.

The count looks a fixed number of pages ahead and no further, so a page costs the same however long the
list grows (an area's audit trail, or ten years of actions): beyond that the page says "more than N".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, request, url_for

from tracker.core.db import db

# How many pages past the current one are counted.
COUNT_AHEAD_PAGES = 40


@dataclass
class Page:
    items: list[Any]
    total: int
    number: int
    size: int
    more: bool = False  # True when there are more than `total` results, which were not all counted

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first_shown(self) -> int:
        """The position in the whole list of this page's first item (counting from 1)."""
        return (self.number - 1) * self.size + 1

    @property
    def last_shown(self) -> int:
        return min(self.number * self.size, self.total)

    def govuk_params(self) -> dict | None:
        """Parameters for govukPagination, keeping the request's filters in every link."""
        if self.pages <= 1 and not self.more:
            return None

        def link(number: int) -> str:
            return this_page_with(page=number)

        items = []
        for number in range(1, self.pages + 1):
            # The last page is shown only when the count reached it.
            last = number == self.pages and not self.more
            if abs(number - self.number) <= 2 or number == 1 or last:
                items.append({"number": number, "href": link(number), "current": number == self.number})
            elif items and not items[-1].get("ellipsis"):
                items.append({"ellipsis": True})
        if self.more and not items[-1].get("ellipsis"):
            items.append({"ellipsis": True})
        params: dict[str, Any] = {"items": items}
        if self.number > 1:
            params["previous"] = {"href": link(self.number - 1)}
        if self.number < self.pages or self.more:
            params["next"] = {"href": link(self.number + 1)}
        return params


def this_page_with(**changes: Any) -> str:
    """The address of the page being shown, with its query string as asked except for the names in
    `changes`, which take the values given (None leaves a name out). Every value of a name asked more
    than once is kept: a date's day, month and year boxes are three values of one name, which a plain
    dict of the query string would cut down to the day. Pagination and sort links are built with it."""
    args = request.args.to_dict(flat=False)
    args.update(changes)
    return url_for(request.endpoint, **{**(request.view_args or {}), **args})


def _asked_page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def _within(number: int, total: int, size: int) -> int:
    """The page asked for, or the last page if it asked for one past the end (a link kept from before
    the list grew shorter, or a number typed in): the pagination then shows where the list ends."""
    return min(number, max(1, math.ceil(total / size)))


def paginate(statement: sa.Select, size: int | None = None, scalars: bool = True) -> Page:
    """Run one page of a SELECT (page number from ?page=; past the end, the last page) with one extra
    query that counts the results, up to COUNT_AHEAD_PAGES pages beyond this one."""
    size = size or current_app.config["PAGE_SIZE"]
    number = _asked_page()
    ceiling = (number + COUNT_AHEAD_PAGES) * size
    counted = statement.order_by(None).limit(ceiling + 1).subquery()
    total = db.session.execute(sa.select(sa.func.count()).select_from(counted)).scalar_one()
    # The count comes first, so a page past the end is known before the page is read: no extra query.
    number = _within(number, total, size)
    result = db.session.execute(statement.limit(size).offset((number - 1) * size))
    items = list(result.scalars().all()) if scalars else list(result.all())
    return Page(items=items, total=min(total, ceiling), number=number, size=size, more=total > ceiling)


def paginate_list(items: list[Any], size: int | None = None) -> Page:
    """One page (number from ?page=; past the end, the last page) of a list already in hand: for a list
    whose order and filtering are worked out in Python, such as the records due for review."""
    size = size or current_app.config["PAGE_SIZE"]
    number = _within(_asked_page(), len(items), size)
    return Page(items=items[(number - 1) * size : number * size], total=len(items), number=number, size=size)
