"""Staff accounts: two-factor login."""
