"""The Django admin, for a 中心负责人 of a township (`kiosk desk user add … --role head` makes them staff): every
kept record of their township and its staff, read-only. Records change only through the desk's own screens,
so every change passes its forms, its steps and its history; users are managed with `kiosk desk user`. The
admin takes its records from the same scope as every screen (visible_to), masks what presenters.py masks, and
its "view on site" answers a record outside the scope exactly as a missing one.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect

from kiosk.problems import message

from . import roles
from .models import KINDS, StaffProfile
from .presenters import head_only_fields

admin.site.site_header = admin.site.site_title = admin.site.index_title = message("desk_title")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


class KeptAdmin(ReadOnly):
    """Any kind of record: its own scope; what only the head reads left out for anyone else."""

    list_display = ["__str__", "state", "township", "created_at"]
    list_filter = ["state"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_exclude(self, request, obj=None):
        hidden = ["told", "token"]
        if obj is not None and not request.user.has_perm("desk.view_complainant", obj):
            hidden += list(head_only_fields(type(obj)))
        return [f for f in hidden if f in {x.name for x in self.model._meta.fields}]

    def has_view_permission(self, request, obj=None):
        codename = f"view_{self.model._meta.model_name}"
        return request.user.has_perm(f"desk.{codename}", obj) if obj is not None else roles.has(request.user, codename)


for model in KINDS:
    admin.site.register(model, KeptAdmin)


@admin.register(StaffProfile)
class StaffProfileAdmin(ReadOnly):
    list_display = ["staff_id", "name", "township", "window"]

    def has_view_permission(self, request, obj=None):
        return roles.has(request.user, "view_township") or roles.has(request.user, "view_county")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        p = roles.profile(request.user)
        if p is None:
            return qs.none()
        return qs if roles.has(request.user, "view_county") else qs.filter(township=p.township)


def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "view on site": the record's own page, only for a record the person may see (else 404, as
    for an unknown id: no existence is revealed); the admin's own shortcut would redirect first."""
    if not (request.user.is_active and request.user.is_staff):
        raise Http404
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model not in KINDS or not object_id.isdigit():
        raise Http404
    record = model.objects.visible_to(request.user).filter(pk=int(object_id)).first()
    if record is None:
        raise Http404
    return redirect(record)
