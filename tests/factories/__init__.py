"""Small factories for the domain's objects (Indico's style: the fixture returns callables).

Each area adds a mixin in a module of its own; `Factory` combines them.
"""

from tests.factories.core import CoreFactory
from tests.factories.evaluations import EvaluationsFactory
from tests.factories.training import TrainingFactory


class Factory(EvaluationsFactory, TrainingFactory, CoreFactory):
    pass
