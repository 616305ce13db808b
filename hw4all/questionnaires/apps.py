from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "hw4all.questionnaires"
    label = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        # rules autodiscovers modules named rules.py only; ours is permissions.py.
        from . import permissions  # noqa: F401
