from django.urls import path

from chainproof.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.outbox, name="list"),
    path("<int:email_id>/", views.message, name="message"),
    path("<int:email_id>/retry/", views.retry, name="retry"),
]
