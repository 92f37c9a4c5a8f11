"""Authentication (Django's names: ``login``, ``logout``, ``password_reset`` …), ``home``, and
the ``accounts:`` pages for members, invitations, organisation settings and new clients."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from klimabok.accounts.views import auth, invitations, members, organisation

# Django's password views reverse these names without a namespace.
auth_patterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

account_patterns = [
    path("language/", auth.set_language, name="set_language"),
    path("invite/<str:token>/", invitations.accept, name="invitation_accept"),
    path("o/<slug:slug>/members/", members.members, name="members"),
    path("o/<slug:slug>/members/invite/", members.invite, name="invite"),
    path("o/<slug:slug>/members/<int:pk>/role/", members.change_member_role, name="member_role"),
    path("o/<slug:slug>/members/<int:pk>/remove/", members.remove, name="member_remove"),
    path("o/<slug:slug>/invitations/<int:pk>/withdraw/", members.withdraw_invitation,
         name="invitation_withdraw"),
    path("o/<slug:slug>/settings/", organisation.settings, name="settings"),
    path("partner/clients/new/", organisation.new_client, name="client_new"),
]

urlpatterns = [
    path("", auth.home, name="home"),
    *auth_patterns,
    path("", include((account_patterns, "accounts"))),
]
