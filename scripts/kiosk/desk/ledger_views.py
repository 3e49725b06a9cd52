"""The 跟踪台账 and the 月报 screens: the ledger table with its filters and xlsx export, and the monthly report
(on screen, PDF and xlsx). Everything comes from `visible_to(user)`: a center head sees their township, the
county every township (one, or all added up), a window what it may see of the cases and complaints."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import deadlines, ledger, paper, report, roles
from .catalogues import Unavailable, catalogues
from .forms import fields
from .models import Category

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _names(request) -> tuple[dict[str, str], object]:
    """The window names of the person's township (all townships' for the county), and a catalogue for paper."""
    p = roles.profile(request.user)
    if p is None:
        raise PermissionDenied
    townships = [p.township] if p.township else catalogues().townships()
    first = None
    for tid in townships:
        try:
            first = catalogues().get(tid)
            break
        except Unavailable:
            continue
    return catalogues().window_names(townships), first


def month_checked(view):
    """A `month` asked for that is no month (0000-01, 2026-13, 9999-12, words) is a 400 page saying so, before
    the ledger's filters or the report count anything; none given is this month (report) or every month."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if request.GET.get("month"):
            try:
                fields.month(request.GET["month"])
            except fields.BadMonth as e:
                return render(request, "desk/400.html", {"problem": str(e), "nav": "ledger"}, status=400)
        return view(request, *args, **kwargs)

    return checked


@login_required
@require_GET
@month_checked
def ledger_page(request):
    names, _ = _names(request)
    f = ledger.Filters.of(request.GET, set(names))
    day = deadlines.today()
    values = ledger.table(*ledger.all_of(request.user), f, day)
    page = Paginator(values, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "desk/ledger.html",
        {
            "page": page,
            "rows": ledger.rows(page.object_list, names),
            "f": f,
            "query": query.urlencode(),
            "windows": sorted(names.items(), key=lambda kv: kv[1]),
            "categories": Category.choices,
            "nav": "ledger",
            "can_export": roles.has(request.user, "export_records"),
        },
    )


@login_required
@require_GET
@month_checked
def ledger_export(request):
    if not roles.has(request.user, "export_records"):
        raise PermissionDenied
    names, _ = _names(request)
    f = ledger.Filters.of(request.GET, set(names))
    day = deadlines.today()
    data = ledger.xlsx(ledger.table(*ledger.all_of(request.user), f, day), names)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ledger.xlsx"'
    return response


def _report(request):
    if not roles.has(request.user, "export_records"):
        raise PermissionDenied
    names, t = _names(request)
    p = roles.profile(request.user)
    month = request.GET.get("month") or deadlines.today().strftime("%Y-%m")  # checked by month_checked
    cases, complaints = ledger.all_of(request.user)
    chosen = request.GET.get("township", "") if not p.township else p.township
    served = catalogues().townships()
    if chosen in served:
        cases, complaints = cases.filter(township=chosen), complaints.filter(township=chosen)
        shown = [catalogues().name(chosen)]
    else:
        chosen, shown = "", [catalogues().name(x) for x in served]
    return report.build(cases, complaints, month, deadlines.today(), shown, names), t, chosen


@login_required
@require_GET
@month_checked
def report_page(request):
    r, _, chosen = _report(request)
    townships = (
        [] if roles.profile(request.user).township else [(x, catalogues().name(x)) for x in catalogues().townships()]
    )
    return render(
        request,
        "desk/report.html",
        {"r": r, "rows": r.rows(), "chosen": chosen, "townships": townships, "nav": "ledger"},
    )


@login_required
@require_GET
@month_checked
def report_pdf(request):
    r, t, _ = _report(request)
    data, _ = paper.pdf(report.html(r, t))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{r.month}.pdf"'
    return response


@login_required
@require_GET
@month_checked
def report_xlsx(request):
    r, _, _ = _report(request)
    response = HttpResponse(report.to_xlsx(r), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="report-{r.month}.xlsx"'
    return response


@login_required
@require_GET
def searches_page(request):
    """What residents searched for at the township's kiosk and did not get (kiosk.site.searches, as `kiosk
    searches` lists it), each with the matter it may belong to: for the center head to add as a 俗称."""
    from django.conf import settings

    from kiosk.site.searches import suggest, summary

    if not roles.has(request.user, "export_records"):
        raise PermissionDenied
    p = roles.profile(request.user)
    sections = []
    for t in [p.township] if p.township else catalogues().townships():
        folder = settings.SEARCHES.get(t)
        try:
            index = catalogues().get(t).index
        except Unavailable:
            index = []
        rows = (
            [(text, none, left, suggest(text, index)) for text, none, left in summary(folder)[:100]] if folder else None
        )
        sections.append({"name": catalogues().name(t), "rows": rows})
    return render(request, "desk/searches.html", {"sections": sections, "nav": "ledger"})
