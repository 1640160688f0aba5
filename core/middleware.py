"""One gate for every request's text: control characters are refused before any view reads them.

A NUL byte in a query string reached the municipality resolver and PostgreSQL, which cannot store or compare
text containing NUL: a server error on the lookup, on every pathway and on its print view. Other C0 control
characters have no meaning in anything this system stores either. Rather than teach each view – ours, Wagtail's,
Viewflow's – to clean them, this middleware refuses the request with a Norwegian 400 page naming the parameter.

Refusing (not stripping) is deliberate: stripping would silently change what a person or a link sent, and would
let a tampered value through as something else. A browser sends these characters only when they were pasted in,
and its Back button brings the form back with the text as typed. Tab, line feed and carriage return are text.

Reading ``request.POST`` here also brings Django's own limits (``DATA_UPLOAD_MAX_NUMBER_FIELDS``,
``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``DATA_UPLOAD_MAX_NUMBER_FILES``) forward to this point; each is answered by
:func:`core.errors.bad_request` with what was too large.
"""

import re

from django.utils.translation import gettext as _

from .errors import UnreadableInput

# C0 controls and DEL, except tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_NAME_SHOWN = 40


def _first_bad(pairs):
    for key, values in pairs:
        if CONTROL_CHARACTERS.search(key):
            return key
        for value in values:
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                return key
    return None


def _shown(name):
    name = CONTROL_CHARACTERS.sub("", name)
    return name if len(name) <= MAX_NAME_SHOWN else name[:MAX_NAME_SHOWN] + "…"


class InputHardeningMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.check(request)
        return self.get_response(request)

    @staticmethod
    def check(request):
        if CONTROL_CHARACTERS.search(request.path_info):
            raise UnreadableInput(_("Adressen inneholder tegn som ikke kan brukes. Sjekk lenken."), where="path")
        bad = _first_bad(request.GET.lists())
        if bad is not None:
            raise UnreadableInput(
                _("Adressen inneholder tegn som ikke kan brukes (kontrolltegn) i «%(name)s». Sjekk lenken eller søket.")
                % {"name": _shown(bad)},
                where="query string",
            )
        if request.method == "POST":
            # Values only: uploaded files are data, not text, and are checked by the forms that take them.
            bad = _first_bad(request.POST.lists())
            if bad is not None:
                raise UnreadableInput(
                    _(
                        "Skjemaet inneholder tegn som ikke kan brukes (kontrolltegn) i feltet «%(name)s». Ingenting "
                        "er lagret. Gå tilbake, fjern tegnet – det kommer ofte fra innlimt tekst – og send igjen."
                    )
                    % {"name": _shown(bad)},
                    where="form data",
                )
