from django.urls import path
from django.views.generic import RedirectView

from chainproof.diligence import program_views, views

app_name = "diligence"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="diligence:audits"), name="index"),
    path("audits/", views.audit_index, name="audits"),
    path("audits/<int:audit_id>/", views.audit_detail, name="audit"),
    path("requests/", views.request_index, name="requests"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("readiness/<slug:kind>/<int:pk>/", views.readiness, name="readiness"),
    path("program/", program_views.program_index, name="program"),
    path("program/<slug:kind>/", program_views.program_index, name="program_kind"),
    path("program/records/<int:record_id>/", program_views.program_record, name="program_record"),
    path("reasonable-care/", program_views.care_index, name="care"),
    path(
        "reasonable-care/<int:assessment_id>/",
        program_views.care_assessment,
        name="care_assessment",
    ),
    path("reasonable-care/<int:assessment_id>/report.pdf", program_views.care_pdf, name="care_pdf"),
]
