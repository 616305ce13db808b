from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hw4all.core"
    label = "core"

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .personaldata import TASK_QUEUE, personal_data_register

        personal_data_register(TASK_QUEUE)
