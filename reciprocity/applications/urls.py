from django.urls import path

from reciprocity.applications import offer_views, views

# The namespace's other pages (apply, nominate, an application, withdraw, answer an offer,
# decide on a choice) drive workflow use-cases and are the workflow's
# (workflow/application_urls.py); the root urls.py serves both lists under this app_name, this
# one first (`reserve` before the workflow's generic decision route).
app_name = "applications"
urlpatterns = [
    path("", views.application_index, name="list"),
    # Offers and waiting lists (offer_views.py).
    path("choices/<int:pk>/reserve/", offer_views.choice_reserve, name="reserve"),
    path("missions/<int:mission_id>/", offer_views.mission_applications, name="mission"),
    path("missions/<int:mission_id>/waiting-list/", offer_views.waiting_list_order,
         name="waiting_list_order"),
]
