"""Every address of the desk. tests/desk/test_access.py checks each one for every role and township."""

from django.contrib import admin
from django.urls import include, path

from . import views

app_name = "desk"

desk = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("intake/", views.intake_search, name="intake_search"),
    path("intake/<slug:matter_id>/", views.intake, name="intake"),
    path("records/", views.record_list, name="records"),
    path("records/export.csv", views.export, name="export"),
    path("records/<int:pk>/", views.record, name="record"),
    path("records/<int:pk>/supplement/", views.supplement, name="supplement"),
    path("records/<int:pk>/finish/", views.finish, name="finish"),
    path("records/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("records/<int:pk>/void/", views.void, name="void"),
    path("records/<int:pk>/history/", views.history, name="history"),
    path("records/<int:pk>/documents/<int:doc>.pdf", views.document, name="document"),
]

urlpatterns = [
    path("", include((desk, "desk"))),
    path("admin/", admin.site.urls),
]

handler403 = views.forbidden
handler404 = views.not_found
handler500 = views.server_error
