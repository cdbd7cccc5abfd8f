from django.urls import path

from reciprocity.applications import offer_views, views

app_name = "applications"
urlpatterns = [
    path("", views.application_index, name="list"),
    path("new/", views.application_create, name="create"),
    path("nominate/", views.application_nominate, name="nominate"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    # Offers and waiting lists (offer_views.py); `reserve` before the generic decision route.
    path("choices/<int:pk>/reserve/", offer_views.choice_reserve, name="reserve"),
    path("offers/<int:pk>/<str:action>/", offer_views.offer_answer, name="offer_answer"),
    path("missions/<int:mission_id>/", offer_views.mission_applications, name="mission"),
    path("missions/<int:mission_id>/waiting-list/", offer_views.waiting_list_order,
         name="waiting_list_order"),
    path(
        "choices/<int:pk>/<str:action>/", views.choice_decide, name="decide"
    ),
]
