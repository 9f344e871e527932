from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "chainproof.reference"
    label = "reference"
    verbose_name = "Reference data"
