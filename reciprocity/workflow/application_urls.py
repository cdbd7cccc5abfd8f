"""The `applications` namespace's pages that drive a workflow use-case (application_views.py).

No app_name: the root urls.py appends these patterns to applications/urls.py's under the
`applications` namespace, so the paths and names (`applications:detail`, `applications:decide`,
...) are the ones they always had. The generic decision route comes after applications'
`choices/<pk>/reserve/`."""

from django.urls import path

from reciprocity.workflow import application_views as views

urlpatterns = [
    path("new/", views.application_create, name="create"),
    path("nominate/", views.application_nominate, name="nominate"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("offers/<int:pk>/<str:action>/", views.offer_answer, name="offer_answer"),
    path("choices/<int:pk>/<str:action>/", views.choice_decide, name="decide"),
]
