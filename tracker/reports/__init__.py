"""Reports for the Strategic Management Board: the annual report, the quality dashboard, meeting audits."""
