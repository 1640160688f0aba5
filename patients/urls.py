from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("innlogget/", views.CallbackView.as_view(), name="callback"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("<int:process_pk>/plan/", views.PlanView.as_view(), name="plan"),
    path("<int:process_pk>/plan/utskrift/", views.PlanPrintView.as_view(), name="plan_print"),
    path("<int:process_pk>/team/", views.TeamView.as_view(), name="team"),
    path("<int:process_pk>/min-gode-dag/", views.GoodDayView.as_view(), name="good_day"),
    path("<int:process_pk>/godkjenning/", views.ApprovalView.as_view(), name="approval"),
    path("<int:process_pk>/samtykke/", views.ConsentView.as_view(), name="consent"),
    path("<int:process_pk>/meldinger/", views.MessagesView.as_view(), name="messages"),
    path("<int:process_pk>/hvem-har-sett/", views.AccessLogView.as_view(), name="access_log"),
    path("<int:process_pk>/parorende/", views.NextOfKinView.as_view(), name="next_of_kin"),
    path(
        "<int:process_pk>/parorende/<int:grant_pk>/trekk-tilbake/",
        views.RevokeNextOfKinView.as_view(),
        name="next_of_kin_revoke",
    ),
]
