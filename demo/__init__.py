"""Demo content and generators for development and tests; installed only by the dev and test settings.

Nothing here is part of the product: it creates fictional municipalities, people,
patients and a superuser with a published password. Production settings do not
install the app, and no runtime app imports from it.
"""
