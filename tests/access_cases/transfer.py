"""Access to the whole-area export: the system admin only (the POST is generated from this GET case)."""

from tests.access_cases import Case, World

SYSTEM_ADMIN = frozenset({"SYSTEM_ADMIN"})


def build(world: World, factory) -> None:
    pass


CASES = [
    Case("transfer.export_area", "/admin/export", SYSTEM_ADMIN),
]
