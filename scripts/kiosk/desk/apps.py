from django.apps import AppConfig

from kiosk.problems import message


class DeskConfig(AppConfig):
    name = "kiosk.desk"
    label = "desk"
    verbose_name = message("desk_title")  # the admin's heading of the desk's tables
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import permissions, roles  # noqa: F401  (permissions: the rules of who may do what, registered)

        # the roles are data: their groups and permissions are brought in line after every migration
        post_migrate.connect(roles.sync_roles, sender=self)
