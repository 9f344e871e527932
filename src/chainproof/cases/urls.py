from django.urls import path

from chainproof.cases import package_views, views

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
    path("shipments/", views.shipment_index, name="shipments"),
    path("shipments/template.csv", views.shipment_template, name="shipment_template"),
    path("shipments/<int:shipment_id>/", views.shipment_detail, name="shipment"),
    path("shipments/<int:shipment_id>/check/", package_views.prearrival, name="prearrival"),
    path(
        "shipments/<int:shipment_id>/check.pdf",
        package_views.prearrival_download,
        name="prearrival_pdf",
    ),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/packages/", package_views.package_build_view, name="package_build"),
    path(
        "<int:case_id>/packages/<int:version>.zip",
        package_views.package_download,
        name="package_download",
    ),
    path("<int:case_id>/packages/<int:version>.pdf", package_views.package_pdf, name="package_pdf"),
    path(
        "<int:case_id>/packages/<int:version>/filed/",
        package_views.package_filed,
        name="package_filed",
    ),
    path("allegation/", package_views.allegation, name="allegation"),
    path("signing/", package_views.signing, name="signing"),
    path("calendar/", package_views.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", package_views.calendar_feed, name="calendar_feed"),
]
