from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "hw4all.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from hw4all.core.personaldata import personal_data_register

        # rules autodiscovers modules named rules.py only; ours is permissions.py.
        from . import permissions, signals  # noqa: F401
        from .personaldata import SIGNATURES

        personal_data_register(SIGNATURES)
