"""Every address of the desk. tests/desk/test_access.py checks each one for every role and township."""

from django.contrib import admin
from django.urls import include, path

from . import admin as desk_admin
from . import exports, ledger_views, views
from .kinds import VIEWSETS

app_name = "desk"

desk = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("intake/", views.intake_search, name="intake_search"),
    path("intake/<slug:matter_id>/", views.intake, name="intake"),
    path("records/export.xlsx", exports.export, name="export"),
    # 跟踪台账 and 月报 (ledger_views.py)
    path("ledger/", ledger_views.ledger_page, name="ledger"),
    path("ledger/export.xlsx", ledger_views.ledger_export, name="ledger_export"),
    path("reports/", ledger_views.report_page, name="report"),
    path("reports/report.pdf", ledger_views.report_pdf, name="report_pdf"),
    path("reports/report.xlsx", ledger_views.report_xlsx, name="report_xlsx"),
    path("searches/", ledger_views.searches_page, name="searches"),  # what the kiosk's visitors did not find
] + [u for viewset in VIEWSETS for u in viewset.urls()]  # each kind's list, new, record, history, documents, steps

urlpatterns = [
    path("", include((desk, "desk"))),
    # the admin's "view on site", scoped like every page (before the admin's own, which would redirect first)
    path("admin/r/<int:content_type_id>/<path:object_id>/", desk_admin.view_on_site),
    path("admin/", admin.site.urls),
]

handler400 = views.bad_request
handler403 = views.forbidden
handler404 = views.not_found
handler500 = views.server_error
