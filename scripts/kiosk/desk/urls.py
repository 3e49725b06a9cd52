"""Every address of the desk. tests/desk/test_access.py checks each one for every role and township."""

from django.contrib import admin
from django.urls import include, path

from . import case_views, complaint_views, help_views, ledger_views, record_views, views

app_name = "desk"

desk = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("intake/", views.intake_search, name="intake_search"),
    path("intake/<slug:matter_id>/", views.intake, name="intake"),
    path("records/", record_views.record_list, name="records"),
    path("records/export.csv", record_views.export, name="export"),
    path("records/<int:pk>/", record_views.record, name="record"),
    path("records/<int:pk>/supplement/", record_views.supplement, name="supplement"),
    path("records/<int:pk>/finish/", record_views.finish, name="finish"),
    path("records/<int:pk>/refuse/", record_views.refuse, name="refuse"),
    path("records/<int:pk>/void/", record_views.void, name="void"),
    path("records/<int:pk>/history/", record_views.history, name="history"),
    path("records/<int:pk>/documents/<int:doc>.pdf", record_views.document, name="document"),
    # 办不成事 (case_views.py)
    path("cases/", case_views.case_list, name="cases"),
    path("cases/new/", case_views.case_new, name="case_new"),
    path("cases/<int:pk>/", case_views.case, name="case"),
    path("cases/<int:pk>/history/", case_views.case_history, name="case_history"),
    path("cases/<int:pk>/documents/<int:doc>.pdf", case_views.case_document, name="case_document"),
    # 跟踪台账 and 月报 (ledger_views.py)
    path("ledger/", ledger_views.ledger_page, name="ledger"),
    path("ledger/export.xlsx", ledger_views.ledger_export, name="ledger_export"),
    path("reports/", ledger_views.report_page, name="report"),
    path("reports/report.pdf", ledger_views.report_pdf, name="report_pdf"),
    path("reports/report.xlsx", ledger_views.report_xlsx, name="report_xlsx"),
    # 首问登记 and 帮代办 (help_views.py)
    path("asks/", help_views.help_list, {"kind": "asks"}, name="asks"),
    path("asks/new/", help_views.help_new, {"kind": "asks"}, name="ask_new"),
    path("asks/<int:pk>/", help_views.help_record, {"kind": "asks"}, name="ask"),
    path("asks/<int:pk>/history/", help_views.help_history, {"kind": "asks"}, name="ask_history"),
    path("proxies/", help_views.help_list, {"kind": "proxies"}, name="proxies"),
    path("proxies/new/", help_views.help_new, {"kind": "proxies"}, name="proxy_new"),
    path("proxies/<int:pk>/", help_views.help_record, {"kind": "proxies"}, name="proxy"),
    path("proxies/<int:pk>/history/", help_views.help_history, {"kind": "proxies"}, name="proxy_history"),
    path("proxies/<int:pk>/documents/<int:doc>.pdf", help_views.proxy_document, name="proxy_document"),
    # 投诉 (complaint_views.py)
    path("complaints/", complaint_views.complaint_list, name="complaints"),
    path("complaints/new/", complaint_views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", complaint_views.complaint, name="complaint"),
    path("complaints/<int:pk>/history/", complaint_views.complaint_history, name="complaint_history"),
    path("complaints/<int:pk>/documents/<int:doc>.pdf", complaint_views.complaint_document, name="complaint_document"),
] + [path(f"cases/<int:pk>/{name.replace('_', '-')}/", case_views.case_step, {"name": name}, name=f"case_{name}")
     for name in case_views.STEPS] + [
    path(f"complaints/<int:pk>/{name}/", complaint_views.complaint_step, {"name": name}, name=f"complaint_{name}")
    for name in complaint_views.STEPS] + [
    path(f"{kind}/<int:pk>/{name}/", help_views.help_step, {"kind": kind, "name": name},
         name=f"{'ask' if kind == 'asks' else 'proxy'}_{name}")
    for kind, name in help_views.STEPS]

urlpatterns = [
    path("", include((desk, "desk"))),
    path("admin/", admin.site.urls),
]

handler403 = views.forbidden
handler404 = views.not_found
handler500 = views.server_error
