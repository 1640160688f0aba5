"""The few interface words Wagtail's and Viewflow's templates write in English without marking them for
translation, put into Norwegian in the HTML they answer with.

A catalogue cannot reach text that was never passed through gettext: Wagtail 8.0 writes «Search» on the
screen-reader-only submit button of its header and dashboard search forms and «Actions» as the name of the page
header's button bar (``wagtailadmin/shared/header.html``, ``home.html``, ``shared/headers/_actions.html``);
Viewflow 2.4 names its menu button «Open navigation menu» (``viewflow/base_page.html``). Overriding those
templates would mean keeping copies of them in step with every release; this replaces the exact markup instead,
on staff HTML only, and does nothing once a release marks the text for translation (the markup no longer
matches). ``tests/test_norwegian.py`` crawls the screens and fails if English comes back.
"""

from django.conf import settings
from django.utils.translation import gettext as _


def _replacements():
    return (
        (
            b'<input type="submit" value="Search" class="button" />',
            f'<input type="submit" value="{_("Søk")}" class="button" />',
        ),
        (
            b'<nav aria-label="Actions" id="w-slim-header-buttons"',
            f'<nav aria-label="{_("Handlinger")}" id="w-slim-header-buttons"',
        ),
        (b'aria-label="Open navigation menu"', f'aria-label="{_("Åpne navigasjonsmenyen")}"'),
    )


class UntranslatedTemplateTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(tuple(settings.LKT_STAFF_PATH_PREFIXES))
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            content = original = response.content
            for english, norwegian in _replacements():
                if english in content:
                    content = content.replace(english, norwegian.encode())
            if content != original:
                response.content = content
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(content))
        return response
