from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "careerbreak.portal"
    label = "portal"
