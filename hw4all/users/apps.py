from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "hw4all.users"
    label = "users"

    def ready(self) -> None:
        from . import signals  # noqa: F401
