from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "careerbreak.documents"
    label = "documents"
