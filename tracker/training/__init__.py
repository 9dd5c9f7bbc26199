"""Chair training and CPD: courses, their events and sessions, enrolment, registers, the chairs' register."""
