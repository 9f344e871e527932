from django.urls import path

from chainproof.questionnaires import views

app_name = "questionnaires"
urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("new/", views.campaign_new, name="campaign_new"),
    path("<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("<int:campaign_id>/rollup/", views.campaign_rollup, name="rollup"),
    path("<int:campaign_id>/workbooks.zip", views.campaign_workbooks, name="workbooks"),
    path("requests/", views.request_index, name="requests"),
    path("requests/<int:request_id>/", views.request_review, name="request"),
    path(
        "requests/<int:request_id>/answered.xlsx",
        views.request_answered_workbook,
        name="answered_workbook",
    ),
    path("files/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
