from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from chainproof.accounts import services
from chainproof.accounts.access import current_membership, get_for_member, require_role, scoped
from chainproof.accounts.middleware import SESSION_ORG_KEY
from chainproof.accounts.models import ApiToken, User
from chainproof.accounts.roles import Role
from chainproof.accounts.throttle import client_address, login_lock


def _user(request: HttpRequest) -> User:
    """The signed-in user (LoginRequiredMiddleware guarantees there is one)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in first.")
    return request.user


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:dashboard")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            services.password_changed(
                user=form.user,
                organization_ids=list(
                    form.user.memberships.values_list("organization_id", flat=True)
                ),
            )
        messages.success(self.request, "Your password was changed.")
        return response


@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("organization", "")
    membership = None
    if wanted.isdigit():
        membership = _user(request).memberships.filter(organization_id=wanted).first()
    if membership is None:
        messages.error(request, "You are not a member of that organization.")
    else:
        request.session[SESSION_ORG_KEY] = membership.organization_id
    return redirect("web:dashboard")


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="Where the token is used, e.g. 'ERP nightly sync'.",
    )
    days = forms.TypedChoiceField(
        label="Valid for",
        coerce=int,
        choices=[(d, f"{d} days") for d in services.TOKEN_LIFETIMES_DAYS],
        initial=90,
        required=False,
        empty_value=None,
    )


def tokens(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)  # supplier contacts have no API tokens
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                created = services.api_token_create(
                    membership=membership,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            form = TokenForm()
    own = scoped(membership, ApiToken).filter(user=_user(request))
    others = (
        scoped(membership, ApiToken, minimum=Role.ADMIN)
        .exclude(user=_user(request))
        .select_related("user")
        if membership.has_role(Role.ADMIN)
        else ApiToken.objects.none()
    )
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": own, "others": others, "created": created},
    )


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one's own token, or, as an admin, any token of the organization."""
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    tokens = ApiToken.objects.all()
    if not membership.has_role(Role.ADMIN):
        tokens = tokens.filter(user=_user(request))
    token = get_for_member(membership, tokens, pk=token_id)
    with transaction.atomic():
        services.api_token_revoke(token=token, actor=_user(request))
    messages.success(request, f"Token {token.name!r} was revoked; it no longer works.")
    return redirect("accounts:tokens")


class ThrottledLogin(auth_views.LoginView):
    """Django's sign-in, refused while the account or the client address is locked after
    too many wrong passwords (the password is not even checked then)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lock = login_lock(str(request.POST.get("username", "")), client_address(request))
        if lock is None:
            return super().post(request, *args, **kwargs)
        context = self.get_context_data(form=self.form_class(request), locked=lock.message)
        return self.render_to_response(context, status=429)


class ResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its message queued in the outbox (never sent directly)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        services.password_reset_request(
            user=context["user"],
            to=to_email,
            subject=render_to_string(subject_template_name, context),
            body=render_to_string(email_template_name, context),
        )


class PasswordReset(auth_views.PasswordResetView):
    """Ask for a reset link by email: the same answer whether or not the address is
    known; the message goes through the outbox, throttled per address, audited."""

    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {
            "base_url": settings.PUBLIC_BASE_URL,
            "timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        with transaction.atomic():
            return super().form_valid(form)


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Set a new password from the emailed link; audited, and the user's API tokens are
    revoked (as on a password change)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            services.password_changed(
                user=form.user,
                organization_ids=list(
                    form.user.memberships.values_list("organization_id", flat=True)
                ),
                how="reset",
            )
        return response


class PasswordResetDone(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"
