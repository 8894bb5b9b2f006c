from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "careerbreak.core"
    label = "core"
    verbose_name = "Core"
