from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "chainproof.api"
    label = "api"
    verbose_name = "API"
