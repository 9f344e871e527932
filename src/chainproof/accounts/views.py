from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from chainproof.accounts import services
from chainproof.accounts.access import current_membership, get_for_member, scoped
from chainproof.accounts.middleware import SESSION_ORG_KEY
from chainproof.accounts.models import ApiToken, User


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


def tokens(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                created = services.api_token_create(
                    membership=membership, name=form.cleaned_data["name"]
                )
        except ValidationError as exc:
            form.add_error("name", exc.messages[0])
        else:
            form = TokenForm()
    own = scoped(membership, ApiToken).filter(user=_user(request))
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": own, "created": created}
    )


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    membership = current_membership(request)
    token = get_for_member(membership, ApiToken.objects.filter(user=_user(request)), pk=token_id)
    with transaction.atomic():
        services.api_token_revoke(token=token, actor=_user(request))
    messages.success(request, f"Token {token.name!r} was revoked; it no longer works.")
    return redirect("accounts:tokens")
