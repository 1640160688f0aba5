"""The municipal directory: lookup, freshness, permissions, review, import/export, postal register, settings."""
