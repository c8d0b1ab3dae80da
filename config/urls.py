from django.urls import include, path
from django.views.i18n import set_language

from smedx.api.api import api

urlpatterns = [
    path("", include("smedx.workbench.urls")),
    path("", include("smedx.core.urls")),
    path("", include("smedx.accounts.urls")),
    path("enterprises/", include("smedx.enterprises.urls")),
    path("assessments/", include("smedx.assessments.urls")),
    path("planning/", include("smedx.planning.urls")),
    path("providers/", include("smedx.providers.urls")),
    path("proposals/", include("smedx.proposals.urls")),
    path("projects/", include("smedx.projects.urls")),
    path("policies/", include("smedx.subsidies.urls")),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

# JSON under /api/, Django's pages elsewhere (smedx/core/error_pages.py).
handler400 = "smedx.core.error_pages.bad_request"
handler403 = "smedx.core.error_pages.permission_denied"
handler404 = "smedx.core.error_pages.page_not_found"
handler500 = "smedx.core.error_pages.server_error"
