from django.urls import path

from chainproof.reference import views

app_name = "reference"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("datasets/<int:dataset_id>/", views.dataset_detail, name="dataset"),
    path("countries/<str:iso2>/", views.country_detail, name="country"),
    path("<slug:slug>/", views.table, name="table"),
]
