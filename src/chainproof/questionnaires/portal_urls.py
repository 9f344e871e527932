from django.urls import path

from chainproof.questionnaires import portal, portal_evidence

app_name = "portal"
urlpatterns = [
    path("", portal.home, name="home"),
    path("invite/", portal.invite_open, name="invite_open"),
    path("invite/new/", portal.invite_new, name="invite_new"),
    path("invite/<str:token>/", portal.invite, name="invite"),
    path("requests/<int:request_id>/", portal.request_page, name="request"),
    path("evidence/<int:request_id>/", portal_evidence.evidence_request_page, name="evidence"),
    path("requests/<int:request_id>/workbook.xlsx", portal.workbook, name="workbook"),
    path(
        "requests/<int:request_id>/sections/<slug:section_id>/",
        portal.section_page,
        name="section",
    ),
]
