"""The Four Pillars of risk management: the headings of every plan, and the focus of each Chairs' Forum."""

from tracker.core.types import LabelledEnum


class Pillar(LabelledEnum):
    SUPERVISION = "Supervision"
    MONITORING_AND_CONTROL = "Monitoring and control"
    INTERVENTIONS_AND_TREATMENT = "Interventions and treatment"
    VICTIM_SAFETY_PLANNING = "Victim safety planning"
