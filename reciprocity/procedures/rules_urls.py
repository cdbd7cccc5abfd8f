"""Staff pages for scheme rules, suspensions and procedure rule documents, mounted under
/procedures/rules/ (procedures/rules_views.py)."""

from django.urls import path

from reciprocity.procedures import rules_views as views

app_name = "rules"
urlpatterns = [
    path("", views.rules_index, name="index"),
    path("<int:pk>/edit/", views.rule_edit, name="edit"),
    path("suspensions/new/", views.suspension_create, name="suspend"),
    path("suspensions/<int:pk>/edit/", views.suspension_edit, name="suspension_edit"),
    path("documents/<slug:key>/edit/", views.document_edit, name="document_edit"),
]
