"""The record list as a spreadsheet, for the center head and the county: what they may see (visible_to),
with names as people read them (township, window, state), text kept as text (kiosk.exchange.workbook)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from kiosk.exchange.workbook import row
from kiosk.problems import message

from . import roles
from .catalogues import catalogues
from .models import Application

FIELDS = [
    "number",
    "township",
    "window",
    "matter_name",
    "applicant",
    "phone",
    "id_last4",
    "applicant_type",
    "state",
    "received",
    "accepted",
    "due",
    "due_kind",
    "finished",
    "result",
    "reason",
    "void_reason",
]


def names() -> tuple[dict, dict]:
    """Every served township's name, and each one's window names, by id (a township without a good catalogue:
    its ids stand)."""
    served = catalogues().townships()
    return ({tid: catalogues().name(tid) for tid in served}, {tid: catalogues().window_names([tid]) for tid in served})


@login_required
@require_GET
def export(request):
    if not roles.has(request.user, "export_records"):
        raise PermissionDenied
    from openpyxl import Workbook

    townships, windows = names()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(message("desk_model_application"))
    ws.append(row(ws, [str(Application._meta.get_field(n).verbose_name) for n in FIELDS]))
    shown = Application.objects.visible_to(request.user).order_by("township", "received", "id").defer("told")
    for app in shown.iterator(chunk_size=2000):
        values = {n: getattr(app, n) for n in FIELDS}
        values.update(
            township=townships.get(app.township, app.township),
            window=windows.get(app.township, {}).get(app.window, app.window),
            state=app.get_state_display(),
            due_kind=app.get_due_kind_display(),
        )
        ws.append(row(ws, [values[n] for n in FIELDS]))
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="records.xlsx"'
    return response
