from django.urls import path

from reciprocity.matching import pairing_views, views

app_name = "matching"
urlpatterns = [
    path("", views.run_index, name="list"),
    path("new/", views.run_new, name="create"),
    path("compare/", views.run_compare, name="compare"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/accept/", views.run_accept, name="accept"),
    path("<int:pk>/reject/", views.run_reject, name="reject"),
    path("<int:pk>/cancel/", views.run_cancel, name="cancel"),
    # Pairing runs (binômes): docs/matching.md, "Pairing runs".
    path("pairing/", pairing_views.pairing_index, name="pairing_list"),
    path("pairing/new/", pairing_views.pairing_new, name="pairing_create"),
    path("pairing/<int:pk>/", pairing_views.pairing_detail, name="pairing_detail"),
    path("pairing/<int:pk>/accept/", pairing_views.pairing_accept, name="pairing_accept"),
    path("pairing/<int:pk>/reject/", pairing_views.pairing_reject, name="pairing_reject"),
    path("pairing/<int:pk>/cancel/", pairing_views.pairing_cancel, name="pairing_cancel"),
    path("pairing/<int:pk>/pairs/<int:pair_id>/dissolve/", pairing_views.pair_dissolve,
         name="pair_dissolve"),
    path("pairing/<int:pk>/export.<str:fmt>", pairing_views.pairing_export, name="pairing_export"),
]
