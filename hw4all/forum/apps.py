from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "hw4all.forum"
    label = "forum"
    verbose_name = _("Collaboration space")

    def ready(self) -> None:
        # rules autodiscovers modules named rules.py only; ours is permissions.py.
        from . import permissions  # noqa: F401
