from django.urls import path

from chainproof.questionnaires import portal, portal_evidence, portal_reuse
from chainproof.questionnaires.languages import in_portal_language as lang

app_name = "portal"
# Every portal page is in the supplier's language (questionnaires/languages.py).
urlpatterns = [
    path("", lang(portal.home), name="home"),
    path("language/", lang(portal.language_choose), name="language"),
    path("invite/", lang(portal.invite_open), name="invite_open"),
    path("invite/new/", lang(portal.invite_new), name="invite_new"),
    path("invite/<str:token>/", lang(portal.invite), name="invite"),
    path("requests/<int:request_id>/", lang(portal.request_page), name="request"),
    path(
        "evidence/<int:request_id>/",
        lang(portal_evidence.evidence_request_page),
        name="evidence",
    ),
    path("requests/<int:request_id>/workbook.xlsx", lang(portal.workbook), name="workbook"),
    path(
        "requests/<int:request_id>/answered.xlsx",
        lang(portal_reuse.answered_workbook),
        name="answered_workbook",
    ),
    path("requests/<int:request_id>/reuse/", lang(portal_reuse.reuse), name="reuse"),
    path(
        "requests/<int:request_id>/sections/<slug:section_id>/",
        lang(portal.section_page),
        name="section",
    ),
]
