"""TestID's endpoints, under django-oauth-toolkit's own URL names so its discovery document points at them."""

from django.urls import path, re_path
from oauth2_provider import views as provider

from .views import TestIdLoginView

app_name = "oauth2_provider"

urlpatterns = [
    re_path(
        r"^\.well-known/openid-configuration/?$",
        provider.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", provider.JwksInfoView.as_view(), name="jwks-info"),
    path("authorize/", TestIdLoginView.as_view(), name="authorize"),
    path("token/", provider.TokenView.as_view(), name="token"),
    path("userinfo/", provider.UserInfoView.as_view(), name="user-info"),
]
