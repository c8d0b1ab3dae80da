from django.urls import path

from smedx.providers.views import application, catalogue, management

app_name = "providers"
urlpatterns = [
    # The provider's own application and solutions
    path("", application.pool_entry, name="entry"),
    path("pool/", application.pool, name="pool"),
    path("pool/profile/", application.profile_edit, name="profile_edit"),
    path("pool/certificates/new/", application.certificate_add, name="certificate_add"),
    path("pool/certificates/<int:pk>/delete/", application.certificate_delete, name="certificate_delete"),
    path("certificates/<int:pk>/file/", application.certificate_file, name="certificate_file"),
    path("pool/references/new/", application.reference_add, name="reference_add"),
    path("pool/references/<int:pk>/delete/", application.reference_delete, name="reference_delete"),
    path("pool/references/<int:pk>/ask/", application.reference_ask, name="reference_ask"),
    path("pool/submit/", application.submit, name="submit"),
    path("pool/solutions/new/", catalogue.solution_create, name="solution_create"),
    path("pool/solutions/<int:pk>/edit/", catalogue.solution_edit, name="solution_edit"),
    path("pool/solutions/<int:pk>/publish/", catalogue.solution_publish, name="solution_publish"),
    path("pool/solutions/<int:pk>/withdraw/", catalogue.solution_withdraw, name="solution_withdraw"),
    # The customer enterprise confirms a reference
    path("references/<int:pk>/confirm/", application.reference_confirm, name="reference_confirm"),
    # Platform and city
    path("manage/", management.manage_list, name="manage_list"),
    path("manage/<int:pk>/", management.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/<slug:action>/", management.manage_action, name="manage_action"),
    # Committee experts
    path("reviews/", management.review_list, name="review_list"),
    path("reviews/<int:pk>/", management.review, name="review"),
    # Public
    path("notice/", management.notice, name="notice"),
    path("notice/<int:pk>/object/", management.objection, name="objection"),
    path("solutions/", catalogue.catalogue, name="catalogue"),
    path("solutions/<int:pk>/", catalogue.solution_detail, name="solution_detail"),
    path("<int:pk>/", catalogue.provider_detail, name="provider_detail"),
]
