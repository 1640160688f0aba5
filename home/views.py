"""Search across guidance pages and pathways (Wagtail search; PostgreSQL full text in Norwegian in production)."""

import re

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

from .models import GuidancePage, PathwayPage

MAX_QUERY_LENGTH = 200
# Only words reach the search backend: SQLite's FTS5 gives a syntax error (a 500) on characters such as
# «>», «"» or «*», and on upper-case AND/OR/NOT/NEAR, which it reads as operators.
WORD = re.compile(r"[^\W_]+")


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    terms = " ".join(word.lower() for word in WORD.findall(query))
    if terms:
        pages = Page.objects.live().public().type(GuidancePage, PathwayPage).specific()
        results = pages.search(terms, operator="and")
    paginator = Paginator(results, 20)
    page_obj = paginator.get_page(request.GET.get("side"))
    return render(request, "home/search.html", {"query": query, "page_obj": page_obj})
