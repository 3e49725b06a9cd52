"""The Django admin, for a 中心负责人 of a township (`kiosk desk user add … --role head` makes them staff):
their township's records and staff, read-only. Records change only through the desk's own screens, so every
change passes its forms and its history; users are managed with `kiosk desk user`. The admin takes its
records from the same `visible` rule as every screen.
"""

from django.contrib import admin

from kiosk.problems import message

from . import access
from .models import Application, StaffProfile

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


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ["number", "matter_name", "applicant", "state", "received", "accepted", "due", "finished"]
    list_filter = ["state", "window"]
    search_fields = ["number", "applicant"]
    exclude = ["told", "intake_token"]

    def get_queryset(self, request):
        return access.visible(super().get_queryset(request), request.user)


@admin.register(StaffProfile)
class StaffProfileAdmin(ReadOnly):
    list_display = ["staff_id", "name", "township", "window"]

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, "view_township") or access.can(request.user, "view_county")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        p = access.profile(request.user)
        if p is None:
            return qs.none()
        return qs if access.can(request.user, "view_county") else qs.filter(township=p.township)
