"""Pages of results counted and sliced in SQL, and the parameters the GOV.UK pagination component wants."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, request, url_for

from tracker.core.db import db


@dataclass
class Page:
    items: list[Any]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    def govuk_params(self) -> dict | None:
        """Parameters for govukPagination, keeping the request's filters in every link."""
        if self.pages <= 1:
            return None
        args = dict(request.args)

        def link(number: int) -> str:
            return url_for(request.endpoint, **{**request.view_args, **args, "page": number})

        items = []
        for number in range(1, self.pages + 1):
            near = abs(number - self.number) <= 2 or number in (1, self.pages)
            if near:
                items.append({"number": number, "href": link(number), "current": number == self.number})
            elif items and not items[-1].get("ellipsis"):
                items.append({"ellipsis": True})
        params: dict[str, Any] = {"items": items}
        if self.number > 1:
            params["previous"] = {"href": link(self.number - 1)}
        if self.number < self.pages:
            params["next"] = {"href": link(self.number + 1)}
        return params


def paginate(statement: sa.Select, size: int | None = None, scalars: bool = True) -> Page:
    """Run one page of a SELECT (page number from ?page=) with one extra query for the total."""
    size = size or current_app.config["PAGE_SIZE"]
    number = request.args.get("page", 1, type=int) or 1
    number = max(1, number)
    total = db.session.execute(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    total = total.scalar_one()
    result = db.session.execute(statement.limit(size).offset((number - 1) * size))
    items = list(result.scalars().all()) if scalars else list(result.all())
    return Page(items=items, total=total, number=number, size=size)
