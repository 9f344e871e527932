"""The supplier portal's language: the one the contact picked (kept in the session and on
their requests, so emails follow), else the request's (guessed from the supplier's country
until the contact picks one), else the browser's, else English. The analyst's pages stay
in English; only the portal, its emails and the questionnaire are translated."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_noop

SESSION_KEY = "portal_language"

# The page shell's words a supplier contact sees (web/base.html and the navigation),
# translated with the portal's.
SHELL_WORDS = (
    gettext_noop("Skip to content"),
    gettext_noop("Change password"),
    gettext_noop("Sign out"),
    gettext_noop("My questionnaires"),
    gettext_noop("Supplier contact"),  # the role shown beside the username
)
ENGLISH = "en"

SPANISH_SPEAKING = frozenset(
    [
        "MX",
        "ES",
        "AR",
        "BO",
        "CL",
        "CO",
        "CR",
        "CU",
        "DO",
        "EC",
        "GT",
        "HN",
        "NI",
        "PA",
        "PE",
        "PR",
        "PY",
        "SV",
        "UY",
        "VE",
    ]
)
# The language a supplier in this country most likely reads (the portal offers every one).
COUNTRY_LANGUAGES = {
    "CN": "zh-hans",
    "SG": "zh-hans",
    "VN": "vi",
    "KR": "ko",
    "TR": "tr",
    "BD": "bn",
    # Spanish-speaking Latin America and Spain (Mexico first among chainproof's suppliers).
    **dict.fromkeys(SPANISH_SPEAKING, "es"),
}


def codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def names() -> list[tuple[str, str]]:
    """(code, the language's name in itself), for the picker."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def supported(code: str | None) -> str | None:
    """The portal language a code stands for ("zh-Hans", "zh-CN", "es-MX" included)."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if code in codes():
        return code
    if code.startswith("zh"):
        return "zh-hans"
    base = code.split("-")[0]
    return base if base in codes() else None


def for_country(country: str) -> str:
    return COUNTRY_LANGUAGES.get((country or "").upper(), ENGLISH)


def name_of(code: str) -> str:
    return dict(names()).get(code, code)


def chosen(request: HttpRequest) -> str | None:
    """The language the visitor picked in this session, if any."""
    return supported(request.session.get(SESSION_KEY)) if hasattr(request, "session") else None


def from_browser(request: HttpRequest) -> str:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for part in header.split(","):
        found = supported(part.split(";")[0])
        if found:
            return found
    return ENGLISH


def in_portal_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a portal view in the visitor's language: the one picked in the session, else
    the browser's. A view that knows the request may switch to the request's language
    with ``use_request_language`` when the visitor has picked none."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = chosen(request) or from_browser(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
            response.headers["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapped


def use_request_language(request: HttpRequest, language: str) -> str:
    """Switch to the request's language unless the visitor picked one; the language used."""
    if chosen(request) is None and supported(language):
        translation.activate(supported(language) or ENGLISH)
    return translation.get_language() or ENGLISH
