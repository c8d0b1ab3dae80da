"""Stage 3 方案设计: needs, matching, invitations, research, proposals, comparison, the selected plan."""

from django.urls import path

from smedx.proposals import views

app_name = "proposals"
urlpatterns = [
    path("", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/publish/", views.need_publish, name="need_publish"),
    path("needs/<int:pk>/close/", views.need_close, name="need_close"),
    path("needs/<int:pk>/matches/", views.need_matches, name="need_matches"),
    path("needs/<int:pk>/invite/", views.need_invite, name="need_invite"),
    path("needs/<int:pk>/recommend/", views.need_recommend, name="need_recommend"),
    path("needs/<int:pk>/compare/", views.need_compare, name="need_compare"),
    path("needs/<int:pk>/select/", views.need_select, name="need_select"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
    path("invitations/<int:pk>/research/", views.research_edit, name="research_edit"),
    path("invitations/<int:pk>/proposal/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/comment/", views.proposal_comment, name="proposal_comment"),
    path("proposals/<int:pk>/acknowledge/", views.conflict_acknowledge, name="conflict_acknowledge"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
]
