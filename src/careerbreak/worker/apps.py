from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "careerbreak.worker"
    label = "worker"
