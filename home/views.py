"""Search across guidance pages and pathways (Wagtail search; PostgreSQL full text in Norwegian in production)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

from .models import GuidancePage, PathwayPage

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        pages = Page.objects.live().public().type(GuidancePage, PathwayPage).specific()
        results = pages.search(query, operator="and")
    paginator = Paginator(results, 20)
    page_obj = paginator.get_page(request.GET.get("side"))
    return render(request, "home/search.html", {"query": query, "page_obj": page_obj})
