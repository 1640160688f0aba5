from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import LogoutView
from wagtail.documents import urls as wagtaildocs_urls

from core import bulk_actions
from directory.admin_isolation import admin_urlpatterns as isolated_admin_urls
from home import views as home_views
from monitoring.viewsets import site as alert_site
from workflows.viewsets import site as process_site

urlpatterns = [
    # Ahead of Wagtail's own route for the same path: the selection is checked before Wagtail reads it.
    # Named as Wagtail names its own, so every reverse() and every check keyed on the name finds this one.
    path(
        "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
        bulk_actions.bulk_action,
        name="wagtail_bulk_action",
    ),
    # Replacements for a few of Wagtail's admin views; they must come before Wagtail's own admin URLs.
    path("admin/", include(isolated_admin_urls)),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenter/", include(wagtaildocs_urls)),
    path("konto/", include("accounts.urls")),
    # Named plainly «logout» because Viewflow's frontend shows its «Logg ut» button only where that name exists.
    path("konto/logg-ut/", LogoutView.as_view(), name="logout"),
    path("sok/", home_views.search, name="search"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the static icon (far-future cached). Not a
    # permanent redirect: the target is a hashed name that changes when the icon does.
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("img/favicon.svg"), permanent=False)),
    # Patients' messages to their coordinator: under the process prefix, behind two factors and need-to-know.
    path("prosesser/meldinger/", include("patients.staff_urls")),
    # Self-monitoring: the coordinator's overview and a patient's values, and the alert flow's task pages.
    path("prosesser/egenmaling/", include("monitoring.staff_urls")),
    path("prosesser/varsler/", alert_site.urls),
    path("prosesser/", process_site.urls),
    path("min-side/<int:process_pk>/egenmaling/", include("monitoring.patient_urls")),
    path("min-side/", include("patients.urls")),
]

# TestID, the development identity provider, exists only where dev or test settings install it.
if apps.is_installed("testid"):
    urlpatterns += [path("testid/", include("testid.urls"))]

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# Norwegian error pages in the public or the staff layout, by path (core.errors).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
