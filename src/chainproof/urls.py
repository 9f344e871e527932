from django.urls import include, path

from chainproof.api.root import api

urlpatterns = [
    path("", include("chainproof.web.urls")),
    path("accounts/", include("chainproof.accounts.urls")),
    path("audit/", include("chainproof.auditlog.urls")),
    path("reference/", include("chainproof.reference.urls")),
    path("suppliers/", include("chainproof.suppliers.urls")),
    path("jobs/", include("chainproof.jobs.urls")),
    path("risk/", include("chainproof.risk.urls")),
    path("screening/", include("chainproof.screening.urls")),
    path("questionnaires/", include("chainproof.questionnaires.urls")),
    path("evidence/", include("chainproof.evidence.urls")),
    path("diligence/", include("chainproof.diligence.urls")),
    path("cases/", include("chainproof.cases.urls")),
    path("statements/", include("chainproof.statements.urls")),
    path("outbox/", include("chainproof.outbox.urls")),
    path("interchange/", include("chainproof.interchange.urls")),
    path("portal/", include("chainproof.questionnaires.portal_urls")),
    path("api/v1/", api.urls),
]

handler400 = "chainproof.web.views.bad_request"
handler403 = "chainproof.web.views.permission_denied"
handler404 = "chainproof.web.views.page_not_found"
handler500 = "chainproof.web.views.server_error"
