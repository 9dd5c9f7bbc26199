"""Small factories for the domain's objects (Indico's style: the fixture returns callables).

Each area adds a mixin in a module of its own; `Factory` combines them.
"""

from tests.factories.calendar import CalendarFactory
from tests.factories.core import CoreFactory
from tests.factories.evaluations import EvaluationsFactory
from tests.factories.meetings import MeetingsFactory
from tests.factories.minutes import MinutesFactory
from tests.factories.reports import ReportsFactory
from tests.factories.training import TrainingFactory


class Factory(
    CalendarFactory,
    EvaluationsFactory,
    ReportsFactory,
    MinutesFactory,
    MeetingsFactory,
    TrainingFactory,
    CoreFactory,
):
    pass
