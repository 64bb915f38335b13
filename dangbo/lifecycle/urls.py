from django.urls import path

from dangbo.lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("", views.home, name="home"),
    path("exemptions/", views.exemptions, name="exemptions"),
    path("removals/", views.removals, name="removals"),
    path("removals/<int:pk>/", views.proposal, name="proposal"),
    path("removals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("cards/", views.cards, name="cards"),
    path("cards/<int:pk>/<slug:action>/", views.card_action, name="card_action"),
    path("badges/", views.badge_list, name="badges"),
    path("badges/export.xlsx", views.badge_export, name="badge_export"),
    path("badges/award/", views.badge_award, name="badge_award"),
    path("badges/register/", views.register, name="register"),
    path("member/<int:pk>/", views.member, name="member"),
    path("member/<int:pk>/<slug:action>/", views.member_action, name="member_action"),
]
