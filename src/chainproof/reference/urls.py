from django.urls import path

from chainproof.reference import update_views, views

app_name = "reference"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("updates/upload/", update_views.update_upload, name="update_upload"),
    path("updates/<int:pending_id>/", update_views.update_detail, name="update"),
    path("updates/<int:pending_id>/decide/", update_views.update_decide, name="update_decide"),
    path("updates/check/<slug:kind>/", update_views.update_check_view, name="update_check"),
    path("datasets/<int:dataset_id>/", views.dataset_detail, name="dataset"),
    path("countries/<str:iso2>/", views.country_detail, name="country"),
    path("<slug:slug>/", views.table, name="table"),
]
