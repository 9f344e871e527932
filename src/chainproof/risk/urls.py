from django.urls import path

from chainproof.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.register, name="register"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("recompute/", views.recompute, name="recompute"),
    path("methodology/", views.methodology, name="methodology"),
    path("<slug:node_type>/<int:node_id>/", views.node, name="node"),
]
