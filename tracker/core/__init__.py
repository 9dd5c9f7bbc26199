"""Pieces every area of the tracker shares: database, audit, permissions, settings, forms, working days."""
