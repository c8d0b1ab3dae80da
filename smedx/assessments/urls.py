"""Stage 1 URLs. Each views module keeps its own `urlpatterns`, so the parts of the stage stay apart."""

from smedx.assessments import views, views_diagnosis, views_officer, views_report

app_name = "assessments"
urlpatterns = [
    *views.urlpatterns,
    *views_report.urlpatterns,
    *views_diagnosis.urlpatterns,
    *views_officer.urlpatterns,
]
