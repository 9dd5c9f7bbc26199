"""Evaluation forms: built by the TRSG, sent to events, answered through one-time links, with results."""
