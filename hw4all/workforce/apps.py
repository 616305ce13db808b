from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "hw4all.workforce"
    label = "workforce"
    verbose_name = _("Health-workforce data")
