from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "careerbreak.demo"
    label = "demo"
