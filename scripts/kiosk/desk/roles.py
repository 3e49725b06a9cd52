"""The desk's roles: Django groups whose permissions are data (ROLES, brought in line after every migration),
and the few facts about a user every other module asks: their profile, their role, a group permission.

    窗口人员 (window)  the records of their own window, and those they took in themselves; acts on them
    中心负责人 (head)  every record of their township; exports them; the admin, read-only
    县级 (county)      every record of every township the desk serves, read-only; exports them

What a user may do with one record is decided by permissions.py from these.
"""

from __future__ import annotations

from django.db import models

from kiosk.problems import message

APP = "desk"
# permissions beyond Django's own add/change/view of a record
PERMISSIONS = [
    ("view_township", message("desk_perm_view_township")),
    ("view_county", message("desk_perm_view_county")),
    ("export_records", message("desk_perm_export_records")),
    ("void_application", message("desk_perm_void_application")),
]


class Role(models.TextChoices):
    WINDOW = "window", message("desk_role_window")
    HEAD = "head", message("desk_role_head")
    COUNTY = "county", message("desk_role_county")


_KINDS = ["application", "case", "complaint", "firstask", "proxycase"]
_ACTS = [f"{verb}_{kind}" for kind in _KINDS for verb in ("view", "add", "change")] + ["void_application"]
ROLES = {
    Role.WINDOW: _ACTS,
    Role.HEAD: _ACTS + ["view_township", "export_records"],
    Role.COUNTY: [f"view_{kind}" for kind in _KINDS] + ["view_county", "export_records"],
}


def profile(user):
    """The user's StaffProfile, or None (not logged in, not a desk user, disabled)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "desk", None)


def has(user, codename: str) -> bool:
    """Whether `user`'s role gives the desk permission `codename` at all (no record asked about)."""
    return profile(user) is not None and f"{APP}.{codename}" in user.get_all_permissions()


def role_of(user) -> Role | None:
    names = {g.name for g in user.groups.all()} if getattr(user, "is_authenticated", False) else set()
    return next((r for r in Role if r.value in names), None)


def username_for(township: str | None, staff_id: str) -> str:
    """The login name of a staff member: `s03@dahepingxiang`; a county user's own id alone."""
    return f"{staff_id}@{township}" if township else staff_id


def login_name(request, credentials=None) -> str:
    """What django-axes counts failures against: the login name the form makes."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    data = getattr(request, "POST", {}) or {}
    return username_for(data.get("township") or None, (data.get("username") or "").strip())


def sync_roles(app_config=None, using="default", **kwargs) -> None:
    """Each role's group with exactly its permissions (runs after every migration)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    config = apps.get_app_config(APP)
    create_permissions(config, verbosity=0, using=using)
    for role, codenames in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        perms = Permission.objects.using(using).filter(content_type__app_label=APP, codename__in=codenames)
        assert perms.count() == len(codenames), (role, codenames)
        group.permissions.set(perms)
