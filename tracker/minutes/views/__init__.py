"""The minutes pages, one module per feature, all on the one blueprint defined in `common`."""

from tracker.minutes.views import documents, drafting, leavers, pages, shared, workflow
from tracker.minutes.views.common import bp as bp  # registered in tracker.minutes.register

# Importing each module registers its routes on the blueprint.
_FEATURES = (pages, drafting, workflow, documents, shared, leavers)
