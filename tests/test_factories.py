"""The factory mixins are combined into one class: a method defined twice would silently hide the other."""

from tests.factories import Factory
from tests.factories.core import CoreFactory


def test_no_area_factory_hides_another_areas_method():
    seen: dict[str, str] = {}
    clashes = []
    for mixin in Factory.__mro__[1:]:
        if mixin in (CoreFactory, object):
            continue
        for name in vars(mixin):
            if name.startswith("__"):
                continue
            if name in seen:
                clashes.append(f"{name}: {seen[name]} and {mixin.__name__}")
            seen[name] = mixin.__name__
    assert clashes == []
