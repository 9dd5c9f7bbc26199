"""Accounts, agencies, signing in and out, two-factor sign-in and password resets."""
