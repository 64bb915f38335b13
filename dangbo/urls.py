from django.urls import include, path

urlpatterns = [
    path("", include("dangbo.core.urls")),
    path("accounts/", include("dangbo.accounts.urls")),
    path("org/", include("dangbo.org.urls")),
    path("members/", include("dangbo.members.urls")),
    path("rules/", include("dangbo.rules.urls")),
    path("admission/", include("dangbo.admission.urls")),
    path("transfers/", include("dangbo.transfers.urls")),
    path("lifecycle/", include("dangbo.lifecycle.urls")),
    path("fees/", include("dangbo.fees.urls")),
    path("meetings/", include("dangbo.meetings.urls")),
    path("documents/", include("dangbo.documents.urls")),
    path("study/", include("dangbo.study.urls")),
    path("programmes/", include("dangbo.programmes.urls")),
    path("inspection/", include("dangbo.inspection.urls")),
    path("review/", include("dangbo.review.urls")),
    path("committees/", include("dangbo.committees.urls")),
    path("reports/", include("dangbo.reports.urls")),
    path("stattables/", include("dangbo.stattables.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
