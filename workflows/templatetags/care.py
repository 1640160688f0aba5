"""Template filters for the care process pages."""

import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def iso_date(value):
    """A date kept as ISO text in a plan's JSON (measures' deadlines), shown the Norwegian way."""
    try:
        return date_format(datetime.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return value
