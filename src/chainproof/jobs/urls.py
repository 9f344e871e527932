from django.urls import path

from chainproof.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:job_id>/", views.detail, name="detail"),
]
