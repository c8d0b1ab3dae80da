from django.urls import path

from smedx.providers import views, views_manage, views_public

app_name = "providers"
urlpatterns = [
    # The provider's own application and solutions
    path("", views.pool_entry, name="entry"),
    path("pool/", views.pool, name="pool"),
    path("pool/profile/", views.profile_edit, name="profile_edit"),
    path("pool/certificates/new/", views.certificate_add, name="certificate_add"),
    path("pool/certificates/<int:pk>/delete/", views.certificate_delete, name="certificate_delete"),
    path("certificates/<int:pk>/file/", views.certificate_file, name="certificate_file"),
    path("pool/references/new/", views.reference_add, name="reference_add"),
    path("pool/references/<int:pk>/delete/", views.reference_delete, name="reference_delete"),
    path("pool/references/<int:pk>/ask/", views.reference_ask, name="reference_ask"),
    path("pool/submit/", views.submit, name="submit"),
    path("pool/solutions/new/", views.solution_create, name="solution_create"),
    path("pool/solutions/<int:pk>/edit/", views.solution_edit, name="solution_edit"),
    path("pool/solutions/<int:pk>/publish/", views.solution_publish, name="solution_publish"),
    path("pool/solutions/<int:pk>/withdraw/", views.solution_withdraw, name="solution_withdraw"),
    # The customer enterprise confirms a reference
    path("references/<int:pk>/confirm/", views.reference_confirm, name="reference_confirm"),
    # Platform and city
    path("manage/", views_manage.manage_list, name="manage_list"),
    path("manage/<int:pk>/", views_manage.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/<slug:action>/", views_manage.manage_action, name="manage_action"),
    # Committee experts
    path("reviews/", views_manage.review_list, name="review_list"),
    path("reviews/<int:pk>/", views_manage.review, name="review"),
    # Public
    path("notice/", views_manage.notice, name="notice"),
    path("notice/<int:pk>/object/", views_manage.objection, name="objection"),
    path("solutions/", views_public.catalogue, name="catalogue"),
    path("solutions/<int:pk>/", views_public.solution_detail, name="solution_detail"),
    path("<int:pk>/", views_public.provider_detail, name="provider_detail"),
]
