from django.urls import path

from smedx.subsidies import views

app_name = "subsidies"

urlpatterns = [
    path("", views.policy_list, name="policy_list"),
    path("new/", views.policy_create, name="policy_create"),
    path("<int:pk>/", views.policy_detail, name="policy_detail"),
    path("<int:pk>/publish/", views.policy_publish, name="policy_publish"),
]
