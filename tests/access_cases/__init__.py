"""Access cases: which roles may open which routes. One module per area, each with CASES and build().

A case names an endpoint, how to call it, and the roles allowed; every other role must get 403 or 404,
and someone signed out must be sent to sign in (unless the route is public). `tests/test_access.py`
asks every case as every role and checks that every route of the app has at least one case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tracker.core.permissions import Role

# Every role there is, so that a new one is asked every case too (and refused unless a case allows it).
ROLES = [role.name for role in Role]
ALL = frozenset(ROLES)
CASEWORK = frozenset({"COORDINATOR", "CHAIR", "ADMINISTRATOR", "PRACTITIONER"})


@dataclass
class World:
    """The objects the cases point at; `users[role]` is the person signed in for that role."""

    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Case:
    endpoint: str
    url: str | Callable[[World], str]
    allowed: frozenset[str]
    method: str = "GET"
    data: dict | Callable[[World], dict] | None = None
    public: bool = False
    # The route's own job is to send the person to the sign-in page (signing out).
    ends_at_sign_in: bool = False

    def resolve_url(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url

    def resolve_data(self, world: World) -> dict | None:
        return self.data(world) if callable(self.data) else self.data

    @property
    def id(self) -> str:
        url = self.url if isinstance(self.url, str) else self.endpoint
        return f"{self.method} {url}"


def post(endpoint: str, url: str | Callable[[World], str], allowed: frozenset[str], **kwargs: Any) -> Case:
    """The case of a route's POST (a form or a button)."""
    return Case(endpoint, url, allowed, method="POST", **kwargs)


def get_and_post(
    endpoint: str, url: str | Callable[[World], str], allowed: frozenset[str], **kwargs: Any
) -> list[Case]:
    """The two cases of a form page: showing it (GET) and sending it (POST, with `kwargs`), to the same
    roles."""
    return [Case(endpoint, url, allowed), post(endpoint, url, allowed, **kwargs)]
