import functools

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hw4all.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.admin.actions import delete_selected

        from . import signals  # noqa: F401
        from .audit import admin_delete_selected
        from .personaldata import TASK_QUEUE, personal_data_register

        personal_data_register(TASK_QUEUE)
        # Django's own action, its permission and its label, with the audit log added.
        admin.site.add_action(
            functools.update_wrapper(admin_delete_selected, delete_selected), "delete_selected"
        )
