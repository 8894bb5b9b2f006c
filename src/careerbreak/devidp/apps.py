from django.apps import AppConfig


class DevIdpConfig(AppConfig):
    name = "careerbreak.devidp"
    label = "devidp"
