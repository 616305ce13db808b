from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodeReportsConfig(AppConfig):
    name = "hw4all.codereports"
    label = "codereports"
    verbose_name = _("WHO Code reporting")

    def ready(self) -> None:
        # rules autodiscovers modules named rules.py only; ours is permissions.py.
        from . import permissions  # noqa: F401
