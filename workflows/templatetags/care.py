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


@register.simple_tag(takes_context=True)
def plan_sections(context, plan, audience="team"):
    """What other apps add to a plan version (``workflows.plan_sections``), as each renders it for this audience."""
    from django.utils.html import format_html_join

    from workflows import plan_sections as sections

    parts = [(section.render(plan, audience, context.get("request")),) for section in sections.registered()]
    return format_html_join("", "{}", parts)
