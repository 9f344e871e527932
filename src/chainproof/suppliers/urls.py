from django.urls import path

from chainproof.suppliers import import_review_views, import_views, lookup_views, views

app_name = "suppliers"
urlpatterns = [
    path("", views.supplier_index, name="index"),
    path("new/", views.supplier_edit, name="supplier_new"),
    path("<int:supplier_id>/", views.supplier_detail, name="supplier"),
    path("<int:supplier_id>/edit/", views.supplier_edit, name="supplier_edit"),
    path("facilities/", views.facility_index, name="facilities"),
    path("facilities/new/", views.facility_edit, name="facility_new"),
    path("facilities/<int:facility_id>/", views.facility_detail, name="facility"),
    path("facilities/<int:facility_id>/edit/", views.facility_edit, name="facility_edit"),
    path("products/", views.product_index, name="products"),
    path("products/new/", views.product_edit, name="product_new"),
    path("products/<int:product_id>/", views.product_detail, name="product"),
    path("products/<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path(
        "products/<int:product_id>/map.<slug:fmt>",
        views.product_map_file,
        name="product_map_file",
    ),
    path("materials/", views.material_index, name="materials"),
    path("materials/new/", views.material_edit, name="material_new"),
    path("materials/<int:material_id>/edit/", views.material_edit, name="material_edit"),
    path("links/", views.link_index, name="links"),
    path("links/new/", views.link_new, name="link_new"),
    path("links/<int:link_id>/delete/", views.link_delete, name="link_delete"),
    path("import/", import_views.import_upload, name="import"),
    path("imports/", import_views.import_index, name="imports"),
    path("imports/<int:batch_id>/", import_views.import_batch, name="import_batch"),
    path(
        "imports/<int:batch_id>/problems.xlsx",
        import_review_views.import_problems_download,
        name="import_problems",
    ),
    path("templates/<slug:entity>.<slug:fmt>", views.template_download, name="template"),
    path("lookup/<slug:kind>/", lookup_views.record_lookup, name="lookup"),
    path("production-units/", views.production_units, name="production_units"),
]
