"""Pathway documents: rendering per municipality, modules, review workflow, search and the seeded content."""
