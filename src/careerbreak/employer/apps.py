from django.apps import AppConfig


class EmployerConfig(AppConfig):
    name = "careerbreak.employer"
    label = "employer"
