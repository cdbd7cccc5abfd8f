from django.urls import path

from reciprocity.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_index, name="list"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
]
