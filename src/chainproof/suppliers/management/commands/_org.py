from __future__ import annotations

from chainproof.accounts.models import Organization
from chainproof.web.management.commands._errors import fail


def organization_from(slug: str | None) -> Organization:
    """The organization named by --organization, or the only one there is."""
    if slug:
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            fail(f"--organization: no organization with slug {slug!r} (see `chainproof org list`)")
        return org
    orgs = list(Organization.objects.all()[:2])
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        fail("no organization exists yet; run `chainproof init` or `chainproof org create`")
    return fail("several organizations exist; name one with --organization SLUG")
