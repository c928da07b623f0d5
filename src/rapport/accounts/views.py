"""Log-in, log-out, one-time links, sign-up, password pages and the profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.accounts import selectors, services
from rapport.accounts.forms import ApiTokenForm, LoginForm, ProfileForm, SignupForm
from rapport.accounts.models import ApiToken, Profile, User
from rapport.contacts.ranking import ranks_refresh
from rapport.core.errors import RapportError
from rapport.core.http import AuthenticatedHttpRequest, client_ip
from rapport.core.models import get_owned_or_404
from rapport.meetings import feeds

BACKEND = "rapport.accounts.backends.EmailOrUsernameBackend"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(reverse_lazy(settings.LOGIN_REDIRECT_URL))


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and settings.SERVER_MODE and form.is_valid():
        username = form.cleaned_data["username"]
        ip = client_ip(request)
        if selectors.login_is_throttled(username=username, ip_address=ip):
            form.add_error(
                None,
                f"Too many failed attempts. Wait {settings.LOGIN_THROTTLE_MINUTES} minutes "
                "or reset your password.",
            )
            return render(request, "accounts/login.html", {"form": form}, status=429)
        user = _authenticate(request, username, form.cleaned_data["password"])
        if user is not None:
            services.login_attempts_clear(username=username)
            login(request, user, backend=BACKEND)
            return redirect(_next_url(request))
        services.login_attempt_record(username=username, ip_address=ip)
        form.add_error(None, "That email and password do not match an account.")
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def _authenticate(request: HttpRequest, username: str, password: str) -> User | None:
    user = authenticate(request, username=username, password=password)
    return user if isinstance(user, User) else None


@login_not_required
@require_GET
def link_login(request: HttpRequest, token: str) -> HttpResponse:
    user = services.login_token_redeem(token=token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=400)
    login(request, user, backend=BACKEND)
    return redirect(settings.LOGIN_REDIRECT_URL)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.SIGNUP_ENABLED:
        raise Http404("Sign-up is closed on this server.")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
            )
        except RapportError as exc:
            for field, problem in exc.fields.items():
                form.add_error(field if field in form.fields else None, problem)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, "Welcome to Rapport. Start by filling in your profile.")
            return redirect("accounts:settings")
    return render(request, "accounts/signup.html", {"form": form})


def _profile_form(profile: Profile, data: QueryDict | None = None) -> ProfileForm:
    initial = {name: getattr(profile, name) for name in ProfileForm.base_fields}
    initial["country"] = profile.country.code if profile.country else ""
    return ProfileForm(data, initial=initial)


def _settings_page(
    request: AuthenticatedHttpRequest,
    *,
    form: ProfileForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_token: tuple[ApiToken, str] | None = None,
    new_feed: feeds.FeedLinks | None = None,
) -> HttpResponse:
    profile, _ = Profile.objects.get_or_create(user=request.user)
    context = {
        "form": form or _profile_form(profile),
        "profile": profile,
        "token_form": token_form or ApiTokenForm(),
        "tokens": selectors.api_tokens_active(owner=request.user),
        "new_token": new_token,
        "calendar_feed": feeds.feed_active(owner=request.user),
        "new_feed": new_feed,
    }
    return render(request, "accounts/settings.html", context)


@require_http_methods(["GET", "POST"])
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile, _ = Profile.objects.get_or_create(user=request.user)
    form = _profile_form(profile, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, data=form.cleaned_data)
        except RapportError as exc:
            for field, problem in exc.fields.items():
                form.add_error(field if field in form.fields else None, problem)
        else:
            # Schools, past employers and target roles decide who ranks first.
            ranks_refresh(owner=request.user)
            messages.success(request, "Profile saved.")
            return redirect("accounts:settings")
    return _settings_page(request, form=form)


@require_POST
def api_token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Shows the new token on the page itself, once: it is never stored or redirected with."""
    token_form = ApiTokenForm(request.POST)
    if token_form.is_valid():
        try:
            created = services.api_token_create(
                owner=request.user, name=token_form.cleaned_data["name"]
            )
        except RapportError as exc:
            token_form.add_error("name" if "name" in exc.fields else None, exc.message)
        else:
            return _settings_page(request, new_token=created)
    return _settings_page(request, token_form=token_form)


@require_http_methods(["GET", "POST"])
def api_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    """GET asks to confirm (for a link followed without the button); POST revokes."""
    token = get_owned_or_404(ApiToken, request.user, pk=token_id, revoked_at__isnull=True)
    if request.method == "POST":
        services.api_token_revoke(owner=request.user, token_id=token.pk)
        messages.success(request, f"Token “{token.name}” revoked. It no longer works.")
        return redirect("accounts:settings")
    return render(request, "accounts/api_token_revoke.html", {"token": token})


class ServerModeOnly:
    """Password pages exist only where passwords do: in server mode."""

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not settings.SERVER_MODE:
            raise Http404("Local Rapport signs in with a one-time link, not a password.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class PasswordChangeView(ServerModeOnly, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, "Password changed.")
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(ServerModeOnly, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    subject_template_name = "emails/password-reset-subject.txt"
    email_template_name = "emails/password-reset-body-text.txt"
    html_email_template_name = "emails/password-reset-body-html.html"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(ServerModeOnly, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(ServerModeOnly, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, "Password set. You can sign in with it now.")
        return super().form_valid(form)
