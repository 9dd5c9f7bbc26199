"""The Four Pillars of risk management (Professor Hazel Kemshall's framework): the headings of every risk
management plan, and the focus of each Chairs' Forum."""

from tracker.core.types import SluggedEnum


class Pillar(SluggedEnum):
    SUPERVISION = "Supervision"
    MONITORING_AND_CONTROL = "Monitoring and control"
    INTERVENTIONS_AND_TREATMENT = "Interventions and treatment"
    VICTIM_SAFETY_PLANNING = "Victim safety planning"

    @property
    def hint(self) -> str:
        return PILLAR_HINTS[self]


PILLAR_HINTS = {
    Pillar.SUPERVISION: (
        "Who sees the person, how often, with what licence or order conditions and reporting."
    ),
    Pillar.MONITORING_AND_CONTROL: (
        "Police visits, notification checks, electronic monitoring, polygraph, digital device checks, "
        "approved premises, exclusion zones, disclosure decisions."
    ),
    Pillar.INTERVENTIONS_AND_TREATMENT: (
        "Accredited programmes, mental health and substance treatment, accommodation, employment and other "
        "protective factors."
    ),
    Pillar.VICTIM_SAFETY_PLANNING: (
        "Current and potential victims, contact and exclusion arrangements, victim liaison, safeguarding of "
        "children and adults at risk."
    ),
}
