from smedx.projects import views_acceptance, views_projects
from smedx.projects.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]

urlpatterns += views_acceptance.urlpatterns
urlpatterns += views_projects.urlpatterns
