from django.urls import path

from chainproof.diligence import views

app_name = "diligence"

urlpatterns = [
    path("audits/", views.audit_index, name="audits"),
    path("audits/<int:audit_id>/", views.audit_detail, name="audit"),
    path("requests/", views.request_index, name="requests"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("readiness/<slug:kind>/<int:pk>/", views.readiness, name="readiness"),
]
