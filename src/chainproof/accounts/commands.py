"""The ``--organization`` option of chainproof's commands, resolved to an organization."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.accounts.models import Organization
from chainproof.common.commands import fail


def add_organization_argument(parser: CommandParser | argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--organization",
        metavar="SLUG",
        help="The organization to work on (may be left out when there is only one).",
    )


def organization_named(slug: str) -> Organization:
    """The organization named by --organization; a one-line failure if there is none."""
    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        fail(f"--organization: no organization with slug {slug!r} (see `chainproof org list`)")
    return org


def organization_from(slug: str | None) -> Organization:
    """The organization named by --organization, or the only one there is."""
    if slug:
        return organization_named(slug)
    orgs = list(Organization.objects.all()[:2])
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        fail("no organization exists yet; run `chainproof init` or `chainproof org create`")
    return fail("several organizations exist; name one with --organization SLUG")


class OrganizationCommand(BaseCommand):
    """A command that works on one organization: adds ``--organization`` and resolves it."""

    def add_arguments(self, parser: CommandParser) -> None:
        add_organization_argument(parser)

    def organization(self, options: dict[str, Any]) -> Organization:
        return organization_from(options.get("organization"))
