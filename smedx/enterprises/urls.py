from django.urls import path

from smedx.enterprises.views import casefile, imports

app_name = "enterprises"
urlpatterns = [
    path("", casefile.enterprise_list, name="list"),
    path("export/", casefile.enterprise_export, name="export"),
    path("new/", casefile.enterprise_create, name="create"),
    path("signup/", casefile.enterprise_signup, name="signup"),
    path("<int:pk>/", casefile.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", casefile.enterprise_edit, name="edit"),
    path("<int:pk>/review/", casefile.enterprise_review, name="review"),
    # Bulk import
    path("import/", imports.import_start, name="import"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("import/<int:pk>/commit/", imports.import_commit, name="import_commit"),
]
