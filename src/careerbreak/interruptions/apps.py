from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterruptionsConfig(AppConfig):
    name = "careerbreak.interruptions"
    label = "interruptions"
    verbose_name = _("Requests")
