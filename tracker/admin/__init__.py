"""Administration: accounts and roles, agencies, area settings and the audit trail."""
