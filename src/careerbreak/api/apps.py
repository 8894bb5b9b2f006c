from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "careerbreak.api"
    label = "api"
