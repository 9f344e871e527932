from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "chainproof.interchange"
    label = "interchange"
    verbose_name = "Data interchange"
