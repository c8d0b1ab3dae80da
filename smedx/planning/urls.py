from django.urls import path

from smedx.planning import views, views_standards

app_name = "planning"
urlpatterns = [
    path("", views.library, name="library"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/publish/", views.document_publish, name="document_publish"),
    path("documents/<int:pk>/withdraw/", views.document_withdraw, name="document_withdraw"),
    path("documents/<int:pk>/new-version/", views.document_new_version, name="document_new_version"),
    path("documents/<int:pk>/read/", views.document_read, name="document_read"),
    path("documents/<int:pk>/readers/", views.document_readers, name="document_readers"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("requests/<int:pk>/document/", views.request_document, name="request_document"),
    path("standards/", views_standards.standard_list, name="standard_list"),
    path("standards/new/", views_standards.standard_create, name="standard_create"),
    path("standards/<int:pk>/", views_standards.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/edit/", views_standards.standard_edit, name="standard_edit"),
    path("standards/<int:pk>/tiers/new/", views_standards.tier_create, name="tier_create"),
    path("standards/<int:pk>/apply/", views_standards.standard_apply, name="standard_apply"),
    path(
        "standards/<int:pk>/new-version/", views_standards.standard_new_version, name="standard_new_version"
    ),
    path("tiers/<int:pk>/edit/", views_standards.tier_edit, name="tier_edit"),
    path("tiers/<int:pk>/delete/", views_standards.tier_delete, name="tier_delete"),
    path("applications/<int:pk>/", views_standards.application_detail, name="application_detail"),
    path("plans/", views_standards.plan_list, name="plan_list"),
    path("plans/new/", views_standards.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views_standards.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views_standards.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/publish/", views_standards.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/document/", views_standards.plan_document, name="plan_document"),
]
