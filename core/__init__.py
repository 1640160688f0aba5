"""Vocabulary and mechanisms shared by the apps: roles, dates, versioned cache keys, group and permission grants.

Every app may import from here; nothing here imports from an app.
"""
