from django.urls import path

from chainproof.interchange import ftm_views, osh_views

app_name = "interchange"

urlpatterns = [
    # The supply chain in open formats (FollowTheMoney, Open Supply Hub).
    path("supply-chain/", ftm_views.supply_chain_page, name="supply_chain"),
    path("supply-chain.ftm.json", ftm_views.ftm_download, name="ftm_download"),
    path("supply-chain/import-ftm/", ftm_views.ftm_upload, name="ftm_upload"),
    path("open-supply-hub.csv", osh_views.osh_download, {"fmt": "csv"}, name="osh_csv"),
    path("open-supply-hub.xlsx", osh_views.osh_download, {"fmt": "xlsx"}, name="osh_xlsx"),
]
