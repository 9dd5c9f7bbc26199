"""The names of the demo area's agencies, as its demo data names them: the standard agencies, three of
them with the London names the demo gives them."""

POLICE = "Metropolitan Police Service"
PROBATION = "Probation Service (London)"
PRISONS = "HM Prison Service"
CHILDREN = "Children's Social Care"
ADULTS = "Adult Social Care"
HEALTH = "NHS Mental Health Trust"
YOUTH_JUSTICE = "Youth Justice Service"
HOUSING = "Local Housing Authority"
DWP = "Department for Work and Pensions"

# The agencies MAPPA's chairs come from (the three Responsible Authority agencies).
CHAIR_AGENCIES = [POLICE, PROBATION, PRISONS]
