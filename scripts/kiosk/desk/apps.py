from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "kiosk.desk"
    label = "desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import access

        # the roles are data: their groups and permissions are brought in line after every migration
        post_migrate.connect(access.sync_roles, sender=self)
