"""Who may do what, decided in one place.

Roles are Django groups whose permissions are data (ROLES below, brought in line after every migration).
A user's township and window are on their StaffProfile. Every screen, export and admin page gets its
records from `visible(queryset, user)`, so no view can forget the rule:

    窗口人员 (window)  the records of their own window, and those they took in themselves; takes in, accepts,
                       finishes, refuses and voids them
    中心负责人 (head)  every record of their township; exports them; the admin, read-only
    县级 (county)      every record of every township the desk serves, read-only; exports them

A model opts in by declaring `scope = Scope(township=…, window=…, owner=…)`, naming its own fields, and a
manager method calling `visible`; the 办不成事 cases (case_models.Case) reuse the same rule, their 办不成事 window
seeing the whole township (Scope.whole).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q

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


ROLES = {
    Role.WINDOW: ["view_application", "add_application", "change_application", "void_application",
                  "view_case", "add_case", "change_case", "view_complaint", "add_complaint", "change_complaint",
                  "view_firstask", "add_firstask", "change_firstask", "view_proxycase", "add_proxycase",
                  "change_proxycase"],
    Role.HEAD: ["view_application", "add_application", "change_application", "void_application",
                "view_township", "export_records", "view_case", "add_case", "change_case",
                "view_complaint", "add_complaint", "change_complaint",
                "view_firstask", "add_firstask", "change_firstask", "view_proxycase", "add_proxycase",
                "change_proxycase"],
    Role.COUNTY: ["view_application", "view_county", "export_records", "view_case", "view_complaint",
                  "view_firstask", "view_proxycase"],
}


@dataclass(frozen=True)
class Scope:
    """The fields of a model that place a record: its township, its window, and the user who made it;
    `whole(township)`: a window whose staff see every record of the township (the 办不成事 window)."""
    township: str
    window: str | None = None
    owner: str | None = None
    whole: Callable[[str], str | None] | None = None


def profile(user):
    """The user's StaffProfile, or None (not logged in, not a desk user, disabled)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "desk", None)


def visible(queryset: models.QuerySet, user) -> models.QuerySet:
    """The records of `queryset` that `user` may see."""
    scope: Scope = queryset.model.scope
    p = profile(user)
    if p is None:
        return queryset.none()
    if user.has_perm(f"{APP}.view_county"):
        served = settings.TOWNSHIPS
        return queryset.filter(**{f"{scope.township}__in": served}) if served else queryset
    if not p.township or (settings.TOWNSHIPS and p.township not in settings.TOWNSHIPS):
        return queryset.none()
    queryset = queryset.filter(**{scope.township: p.township})
    if user.has_perm(f"{APP}.view_township"):
        return queryset
    if not user.has_perm(f"{APP}.view_application"):
        return queryset.none()
    if scope.whole and p.window and scope.whole(p.township) == p.window:
        return queryset
    mine = Q(**{scope.window: p.window}) if scope.window else Q(pk__in=[])
    if scope.owner:
        mine |= Q(**{scope.owner: user})
    return queryset.filter(mine)


class ScopedQuerySet(models.QuerySet):
    """The manager of every model with a `scope`: `Model.objects.visible_to(user)`."""

    def visible_to(self, user) -> "ScopedQuerySet":
        return visible(self, user)


def role_of(user) -> Role | None:
    names = {g.name for g in user.groups.all()} if getattr(user, "is_authenticated", False) else set()
    return next((r for r in Role if r.value in names), None)


def can(user, action: str) -> bool:
    """Whether `user` may do `action` (a permission codename of the desk) at all."""
    return profile(user) is not None and user.has_perm(f"{APP}.{action}")


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


class MinimumLength:
    """Django's minimum password length, said in Chinese (Django's own translation of it is missing)."""

    def __init__(self, min_length: int = 8):
        from django.contrib.auth.password_validation import MinimumLengthValidator

        self.django = MinimumLengthValidator(min_length)
        self.django.get_error_message = lambda: message("desk_password_short", min=min_length)

    def validate(self, password, user=None):
        self.django.validate(password, user)

    def get_help_text(self):
        return message("desk_password_short", min=self.django.min_length)


class UserError(Exception):
    """A user that cannot be added as asked; `key` and `values` make its plain-Chinese message."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


@dataclass(frozen=True)
class NewUser:
    username: str
    role: Role
    township: str  # empty for a county user
    staff_id: str
    window: str
    name: str


def new_user(staff_id: str, role: str, township: str | None = None, name: str | None = None) -> NewUser:
    """Who a new desk user would be: a staff member of a township's center file (their window and name from
    it), or a county user. Raises UserError when that cannot be."""
    from django.contrib.auth.models import User

    from .catalogues import Unavailable, catalogues

    role = Role(role)
    served = catalogues().townships()
    if role == Role.COUNTY:
        if township:
            raise UserError("desk_user_county_township")
        window, person_name, township = "", (name or staff_id), ""
    else:
        if not township:
            if len(served) != 1:
                raise UserError("desk_user_which_township", known="、".join(served))
            township = served[0]
        if township not in served:
            raise UserError("desk_user_unknown_township", township=township, known="、".join(served))
        try:
            t = catalogues().get(township)
        except Unavailable as e:
            raise UserError("desk_check_catalogue", township=township, count=len(e.problems),
                            first=str(e.problems[0]) if e.problems else "") from None
        person = t.cv.staff.get(staff_id)
        if person is None:
            raise UserError("desk_user_unknown_staff", id=staff_id, township=t.center.township_name,
                            known="、".join(f"{s.id} {s.name}" for s in t.center.staff))
        window, person_name = person.window, person.name
    username = username_for(township or None, staff_id)
    if User.objects.filter(username=username).exists():
        raise UserError("desk_user_exists", username=username)
    return NewUser(username, role, township, staff_id, window, person_name)


def add_user(new: NewUser, password: str):
    """Make the user: Django's password validators first (their messages in Chinese), the hash only stored."""
    from django.contrib.auth import password_validation
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from .models import StaffProfile

    user = User(username=new.username, first_name=new.name, is_staff=(new.role == Role.HEAD))
    password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=new.role.value))
        StaffProfile.objects.create(user=user, township=new.township, staff_id=new.staff_id, window=new.window,
                                    name=new.name)
    return user
