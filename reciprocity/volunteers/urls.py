from django.urls import path

from reciprocity.volunteers import candidate_views, document_views, signup_views, views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_index, name="list"),
    path("sign-up/", signup_views.sign_up, name="sign_up"),
    path("sign-up/sent/", signup_views.sign_up_sent, name="sign_up_sent"),
    path("me/", signup_views.profile, name="profile"),
    path("me/consents/<int:pk>/withdraw/", signup_views.consent_withdraw_view,
         name="consent_withdraw"),
    path("me/consents/<slug:purpose>/give/", signup_views.consent_give_view, name="consent_give"),
    # The volunteer's CV and passport scan (volunteers/documents.py).
    path("me/documents/", document_views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", document_views.document_download, name="document_download"),
    # Candidates a sending organisation registers (volunteers/candidates.py).
    path("candidates/new/", candidate_views.candidate_new, name="candidate_new"),
    path("<int:pk>/edit/", candidate_views.candidate_edit, name="candidate_edit"),
    path("<int:pk>/claim-link/", candidate_views.claim_link, name="claim_link"),
    path("claim/<str:token>/", candidate_views.claim, name="claim"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/access-log/", views.volunteer_access_log, name="access_log"),
    # The export and the anonymisation are the workflow's (workflow/volunteer_urls.py).
]
