from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "chainproof.statements"
    label = "statements"
    verbose_name = "Annual statements"
