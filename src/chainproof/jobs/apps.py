from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chainproof.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
