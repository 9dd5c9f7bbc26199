"""The Board's reports pages, one module per feature, all on the one blueprint defined in `common`.

Aggregates only: no page here shows a person managed under MAPPA or a case reference. An audit points at
a meeting, whose own page (in the meetings area) shows its cases to those who may see them.
"""

from tracker.reports.views import annual, audits, dashboard
from tracker.reports.views.common import bp as bp  # registered in tracker.reports.register

# Importing each module registers its routes on the blueprint.
_FEATURES = (dashboard, annual, audits)
