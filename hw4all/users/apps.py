from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "hw4all.users"
    label = "users"

    def ready(self) -> None:
        from hw4all.core.personaldata import personal_data_register

        from . import signals  # noqa: F401
        from .personaldata import ACCOUNTS

        personal_data_register(ACCOUNTS)
