from django.urls import path

from chainproof.statements import views

app_name = "statements"

urlpatterns = [
    path("", views.statement_index, name="index"),
    path("<int:statement_id>/", views.statement_detail, name="statement"),
    path("<int:statement_id>/statement.pdf", views.statement_pdf_view, name="pdf"),
    path("<int:statement_id>/statement.docx", views.statement_docx_view, name="docx"),
    path("<int:statement_id>/compare/", views.statement_compare, name="compare"),
    path(
        "<int:statement_id>/sections/<slug:section>/",
        views.section_history,
        name="section_history",
    ),
]
