"""Text helpers shared by the directory."""

from django.utils.text import slugify

_NORWEGIAN_TO_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def norwegian_slug(text):
    """A URL slug that spells æ, ø and å the Norwegian way (Bjørnafjorden → bjornafjorden)."""
    return slugify(text.translate(_NORWEGIAN_TO_ASCII))
