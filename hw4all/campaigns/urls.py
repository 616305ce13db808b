from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/<int:campaign_id>/", views.campaign_detail_redirect, name="campaign"),
    path("campaigns/<int:campaign_id>/sign/", views.signature_create, name="signature_create"),
    path("campaigns/<int:campaign_id>/thanks/", views.signature_thanks, name="signature_thanks"),
    path("signatures/confirm/<str:token>/", views.signature_confirm, name="signature_confirm"),
    path("signatures/withdraw/<str:token>/", views.signature_withdraw, name="signature_withdraw"),
]
