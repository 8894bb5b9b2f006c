from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "careerbreak.office"
    label = "office"
