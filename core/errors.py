"""Error pages in Norwegian, in the layout of the part of the site they belong to.

Django calls these for every 400, 403, 404 and 500 (``handler400`` … in ``lkt_site/urls.py``) and for a failed
CSRF check (``CSRF_FAILURE_VIEW``). A page under one of ``LKT_STAFF_PATH_PREFIXES`` (the admin, the care process)
gets the staff layout; everything else the public one (header, search, «Finn hjelp», ``lang="nb"``). Without them
production showed Viewflow's «Django Material» pages, in English, to the public.

The 400 page names what was wrong with the request – too many fields, too much text, too many files, a control
character – without echoing the value, which may hold personal data.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


class UnreadableInput(SuspiciousOperation):
    """A request Django could parse but the project refuses (see :class:`core.middleware.InputHardeningMiddleware`).

    A subclass of ``SuspiciousOperation``, so Django answers it through :func:`bad_request` and logs it on the
    ``django.security`` logger – with the parameter's name, never its value.
    """

    def __init__(self, message, *, where=""):
        super().__init__(f"refused input in {where or 'request'}")
        self.user_message = message


def is_staff_path(path):
    return any(path.startswith(prefix) for prefix in settings.LKT_STAFF_PATH_PREFIXES)


def error_response(request, status, title, message, *, use_request_context=True, link=None):
    """The error page for ``request``'s part of the site, with a Norwegian heading and explanation (and, on staff
    pages, an optional ``link`` = (url, text) to where the person can go on)."""
    template = "errors/staff.html" if is_staff_path(request.path_info) else "errors/public.html"
    context = {"status": status, "title": title, "message": message}
    if link:
        context["link_url"], context["link_text"] = link
    # The 500 page renders without context processors: whatever broke (the database, say) must not break it too.
    html = render_to_string(template, context, request=request if use_request_context else None)
    return HttpResponse(html, status=status)


def _size(n_bytes):
    megabytes = n_bytes / (1024 * 1024)
    return f"{megabytes:.1f}".replace(".", ",").replace(",0", "") + " MB"


def too_large_message(exception):
    """What was too large in a request Django refused, in words a person can act on."""
    if isinstance(exception, TooManyFieldsSent):
        return _(
            "Skjemaet hadde for mange felt (mer enn %(n)s). Ingenting er lagret. Gå tilbake, del opp endringen "
            "eller fjern tomme rader, og send igjen."
        ) % {"n": f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}".replace(",", " ")}
    if isinstance(exception, TooManyFilesSent):
        return _("Skjemaet hadde for mange filer (mer enn %(n)s). Ingenting er lagret. Send færre filer om gangen.") % {
            "n": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    if isinstance(exception, RequestDataTooBig):
        return _(
            "Skjemaet inneholdt for mye tekst (mer enn %(size)s utenom vedlagte filer). Ingenting er lagret. "
            "Gå tilbake, kort ned teksten og send igjen."
        ) % {"size": _size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    return None


@requires_csrf_token
def bad_request(request, exception=None):
    message = getattr(exception, "user_message", None) or too_large_message(exception)
    if message is None:
        message = _("Forespørselen kunne ikke leses. Gå tilbake og prøv igjen.")
    return error_response(request, 400, _("Forespørselen kunne ikke behandles"), message)


@requires_csrf_token
def permission_denied(request, exception=None):
    message = getattr(exception, "user_message", None) or _(
        "Du har ikke tilgang til denne siden eller handlingen. Spør en administrator om du mener du skal ha det."
    )
    return error_response(request, 403, _("Ingen tilgang"), message)


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_response(
        request,
        404,
        _("Fant ikke siden"),
        _("Siden finnes ikke, eller den er flyttet. Sjekk adressen, eller søk etter det du leter etter."),
    )


def server_error(request):
    return error_response(
        request,
        500,
        _("Noe gikk galt hos oss"),
        _("Det oppstod en feil på serveren, og vi er varslet. Prøv igjen om litt."),
        use_request_context=False,
    )


def csrf_failure(request, reason=""):
    """Django's CSRF failure page, in Norwegian throughout (``CSRF_FAILURE_VIEW``); ``reason`` is for logs only."""
    return error_response(
        request,
        403,
        _("Skjemaet kunne ikke sendes"),
        _(
            "Sikkerhetskontrollen for skjemaet slo feil. Det skjer oftest når siden har stått åpen lenge, når du "
            "har logget inn eller ut i en annen fane, eller når nettleseren ikke tar imot informasjonskapsler. "
            "Gå tilbake, last siden på nytt og send skjemaet igjen."
        ),
    )
