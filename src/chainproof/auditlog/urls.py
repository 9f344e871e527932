from django.urls import path

from chainproof.auditlog import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("verify/", views.verify, name="verify"),
    path("verify/run/", views.verify_run, name="verify_run"),
    path("<int:event_id>/", views.detail, name="detail"),
]
