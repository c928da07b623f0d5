from django.urls import path

from rapport.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/link/<str:token>/", views.link_login, name="link_login"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/tokens/", views.api_token_create, name="api_token_create"),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("settings/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
