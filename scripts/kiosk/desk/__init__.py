"""The window desk (窗口工作台): every applicant's 一次性告知 and 限时办结 kept, printed and tracked, and the
closed loops of the center's rules (办不成事, 投诉, 首问, 帮代办). One Django app inside the kiosk package,
built as one record lifecycle:

    models/          every kind of record on one base (base.py: Kept, its scope, its printed documents, the
                     lifecycle's Step); one module per kind declaring its states, steps and deadlines as data:
                     application.py (受理件), case.py (办不成事), complaint.py (投诉), help.py (首问, 帮代办),
                     staff.py (StaffProfile, the record-number Counter)
    lifecycle.py     the one service that registers and steps any record, in one transaction
    steps/           what each step of each kind changes and prints
    deadlines.py     today (one injectable clock), every kind's due dates, what is late, dates waiting for a year
    roles.py         roles as groups with permissions; permissions.py: who may do what with one record
                     (rules), asked by every view, export, document and the admin; presenters.py: what a
                     person may read of a record (the complainant's identity)
    viewsets.py      one set of views for every kind (list, new, record, history, documents, steps);
                     kinds.py configures each kind; views.py: home, intake, login, errors; urls.py, admin.py
    forms/           every form, one module per kind; fields.py: the checks every form shares
    catalogues.py    the checked catalogue of each township, loaded again when its files change
    paper.py         the printed documents (the kiosk's print templates) and their PDFs
    dashboard.py     限时办结 at a glance; changes.py: a record's history as a person reads it
    ledger.py, report.py, ledger_views.py, exports.py   the 跟踪台账, the monthly report, the record list xlsx
    users.py         making desk users; cli_base.py, cli.py, cli_users.py, cli_report.py: `kiosk desk …`
    server.py        gunicorn (HTTPS off loopback), lock.py (the data folder's lock), tls.py (the LAN
                     certificate), backup.py and backup_crypt.py, checks.py (`kiosk desk check`)
    config.py        the environment variables, each declared once; settings.py: Django's settings
    templates/desk/  the screens
    printing/print/  the printed documents (desk-*.html, Jinja), on the kiosk's print base and macros

The catalogue code stays framework-free: the desk imports it, never the other way. May import: kiosk.site,
kiosk.printing, kiosk.exchange, kiosk.text, kiosk.catalogue, kiosk.calendar, kiosk.model and the base modules.
"""
