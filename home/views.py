"""Search across the public site: guidance, pathways, municipalities' actor maps and their services.

Wagtail search (PostgreSQL full text in Norwegian in production). Pathways still waiting for their clinical
content are found only by signed-in staff, and after everything else.
"""

import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from wagtail.models import Page

from directory.models import ActorPage, MunicipalityPage

from .models import GuidancePage, PathwayPage
from .pathways import sees_drafts

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 20
# Only words reach the search backend: SQLite's FTS5 gives a syntax error (a 500) on characters such as
# «>», «"» or «*», and on upper-case AND/OR/NOT/NEAR, which it reads as operators.
WORD = re.compile(r"[^\W_]+")
SEARCHED_TYPES = (GuidancePage, PathwayPage, MunicipalityPage, ActorPage)


class ResultsInOrder:
    """Several search results shown one after the other, each in its own relevance order, paginated as one list.

    Only the slice a page shows is fetched from each part, so a query that matches thousands of actors
    costs the same as one that matches ten.
    """

    def __init__(self, *parts):
        self.parts = parts

    @cached_property
    def _counts(self):
        return [part.count() for part in self.parts]

    def count(self):
        return sum(self._counts)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("ResultsInOrder supports slices only")
        start, stop, found = index.start or 0, index.stop, []
        for part, size in zip(self.parts, self._counts, strict=True):
            if stop is not None and stop <= 0:
                break
            if start < size:
                found.extend(part[start : size if stop is None else min(stop, size)])
            start = max(0, start - size)
            stop = None if stop is None else stop - size
        return found


KINDS = {ActorPage: "actor", MunicipalityPage: "municipality", PathwayPage: "pathway", GuidancePage: "guidance"}


def _describe(results):
    """Say what kind of page each hit is, and give every actor its municipality page in one query (the hit
    names it)."""
    for page in results:
        page.search_kind = KINDS.get(type(page), "guidance")
    actors = [page for page in results if isinstance(page, ActorPage)]
    pages = MunicipalityPage.objects.in_bulk({actor.municipality_id for actor in actors})
    for actor in actors:
        actor.municipality = pages.get(actor.municipality_id)
    return results


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    terms = " ".join(word.lower() for word in WORD.findall(query))
    staff = sees_drafts(request.user)
    results = []
    if terms:
        drafts = list(PathwayPage.objects.live().filter(awaiting_clinical_content=True).values_list("pk", flat=True))
        pages = Page.objects.live().public().type(*SEARCHED_TYPES).specific()
        parts = [pages.exclude(pk__in=drafts).search(terms, operator="and")]
        if staff and drafts:
            parts.append(pages.filter(pk__in=drafts).search(terms, operator="and"))
        results = ResultsInOrder(*parts)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("side"))
    _describe(page_obj.object_list)
    response = render(
        request,
        "home/search.html",
        {"query": query, "terms": terms, "page_obj": page_obj, "hits": paginator.count if terms else 0},
    )
    if staff:
        patch_cache_control(response, private=True, no_cache=True)  # the drafts are for staff only
    return response
