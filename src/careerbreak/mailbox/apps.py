from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "careerbreak.mailbox"
    label = "mailbox"
