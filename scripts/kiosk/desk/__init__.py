"""The window desk (窗口工作台): every applicant's 一次性告知 and 限时办结 kept, printed and tracked.

One Django app inside the kiosk package. Its files say what they hold:

    config.py        the environment variables, each declared once with its default; settings.py: Django's settings
    models.py        the records: Application (受理件) with its history, Document (what was printed), the
                     record-number Counter, StaffProfile (a user's township, staff id and window)
    access.py        roles as groups with permissions, and the one place that decides who sees which records
    catalogues.py    the checked catalogue of each township, loaded again when its files change
    records.py       what happens to a record: intake, 补交, 受理, 办结, 不予受理/许可, 作废 (one transaction each)
    paper.py         the printed documents (the kiosk's print templates) and their PDFs
    dashboard.py     限时办结 at a glance: due today, within 3 working days, overdue, finished this month
    changes.py       a record's history as a person reads it: who, when, what changed from what to what
    forms.py         every form: validates input, says what is wrong in plain Chinese next to the field
    views.py         the screens (they only orchestrate): login, home, intake; record_views.py the records and
                     their steps; urls.py, admin.py (read-only), middleware.py (idle sessions, private pages),
                     finders.py (the kiosk's own search matcher as a static file)
    case_*.py        办不成事 (models, forms, records, views); complaint_*.py 投诉; help_*.py 首问 and 帮代办;
                     ledger.py, report.py, ledger_views.py, cli_report.py: the 跟踪台账 and the monthly report
    cli.py           `kiosk desk …`; server.py (gunicorn, HTTPS off loopback), tls.py (the LAN certificate),
                     backup.py, checks.py (`kiosk desk check`), bench.py, bench_http.py and bench_fill.py
                     (`kiosk bench --desk [--ledger]`)
    templates/desk/  the screens; the printed documents are the kiosk's print templates (print/desk-*.html)

The catalogue code stays framework-free: the desk imports it, never the other way.
"""
