"""Desk users: who a new staff member would be (from the township's center file) and making them; Django's
minimum password length said in Chinese. `kiosk desk user` (cli_users.py) is how staff are managed."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.problems import message

from .catalogues import Unavailable, catalogues
from .models import StaffProfile
from .roles import Role, username_for


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
            raise UserError(
                "desk_check_catalogue",
                township=township,
                count=len(e.problems),
                first=str(e.problems[0]) if e.problems else "",
            ) from None
        person = t.cv.staff.get(staff_id)
        if person is None:
            raise UserError(
                "desk_user_unknown_staff",
                id=staff_id,
                township=t.center.township_name,
                known="、".join(f"{s.id} {s.name}" for s in t.center.staff),
            )
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

    user = User(username=new.username, first_name=new.name, is_staff=(new.role == Role.HEAD))
    password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=new.role.value))
        StaffProfile.objects.create(
            user=user, township=new.township, staff_id=new.staff_id, window=new.window, name=new.name
        )
    return user
