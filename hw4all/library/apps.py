from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "hw4all.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        # rules autodiscovers modules named rules.py only; ours is permissions.py. search registers
        # the receiver that takes a deleted resource out of the index.
        from . import permissions, search  # noqa: F401
