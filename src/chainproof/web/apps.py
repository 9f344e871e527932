from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "chainproof.web"
    label = "web"
    verbose_name = "Web shell"
