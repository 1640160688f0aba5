"""URLs for the benchmark server: the trivial baseline view, then the site's own URLs unchanged."""

from django.urls import include, path

from bench.baseline import after_publish, sized, trivial

urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/sized/<int:size>/", sized, name="bench-sized"),
    path("bench/after-publish/<path:path>", after_publish, name="bench-after-publish"),
    path("", include("lkt_site.urls")),
]
