"""Country names in the supplier's language, for what the supplier reads (the portal's
country lists and the workbook's drop-down): from the ISO 3166 translations that come with
pycountry. Answers keep the country's code, so a name in any language changes nothing
stored; a drop-down label "中国 (CN)" reads by its code."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

from chainproof.questionnaires import languages

# pycountry's catalogs are named by locale; Simplified Chinese is zh_CN there.
_LOCALES = {"zh-hans": "zh_CN", "vi": "vi", "es": "es", "ko": "ko", "tr": "tr", "bn": "bn"}


@lru_cache(maxsize=8)
def _catalog(language: str) -> gettext.NullTranslations:
    locale = _LOCALES.get(language)
    if locale is None:
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


def localized(countries: dict[str, str], language: str) -> dict[str, str]:
    """code -> name in `language` (the name given when ISO has no translation)."""
    language = languages.supported(language) or languages.ENGLISH
    if language == languages.ENGLISH:
        return countries
    catalog = _catalog(language)
    out = {}
    for code, name in countries.items():
        country = pycountry.countries.get(alpha_2=code)
        translated = catalog.gettext(country.name) if country is not None else name
        out[code] = name if country is None or translated == country.name else translated
    return out
