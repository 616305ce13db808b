from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hw4all.demo"
    label = "demo"
