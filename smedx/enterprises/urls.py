from django.urls import path

from smedx.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export/", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("signup/", views.enterprise_signup, name="signup"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/review/", views.enterprise_review, name="review"),
]

# Bulk import (views in views_import.py)
from smedx.enterprises import views_import  # noqa: E402

urlpatterns += [
    path("import/", views_import.import_start, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("import/<int:pk>/commit/", views_import.import_commit, name="import_commit"),
]
