"""URLs for the benchmark server: the trivial baseline view, then the site's own URLs unchanged."""

from django.urls import include, path

from bench.baseline import trivial

urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("lkt_site.urls")),
]
