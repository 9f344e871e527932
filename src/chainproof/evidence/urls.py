from django.urls import path

from chainproof.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.document_index, name="index"),
    path("upload/", views.document_upload, name="upload"),
    path("verification/", views.verification, name="verification"),
    path("verification/run/", views.verification_run, name="verification_run"),
    path("<int:document_id>/", views.document_detail, name="document"),
    path(
        "<int:document_id>/versions/<int:number>/download/",
        views.version_download,
        name="download",
    ),
    path(
        "<int:document_id>/versions/<int:number>/preview/",
        views.version_preview,
        name="preview",
    ),
]
