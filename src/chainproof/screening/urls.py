from django.urls import path

from chainproof.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.hit_queue, name="queue"),
    path("search/", views.search, name="search"),
    path("run/", views.run, name="run"),
    path("watchlist/", views.watchlist, name="watchlist"),
    path("hits/<int:hit_id>/", views.hit_detail, name="hit"),
]
