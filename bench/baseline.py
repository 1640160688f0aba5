"""A trivial Django view: the floor against which the benchmark compares every page."""

from django.http import HttpResponse


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")
