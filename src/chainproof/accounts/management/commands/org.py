from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from chainproof.accounts.models import Membership, Organization, User
from chainproof.accounts.roles import Role
from chainproof.accounts.services import (
    membership_create,
    membership_set_role,
    organization_create,
    user_create,
)
from chainproof.common.commands import fail


class Command(BaseCommand):
    help = "Manage organizations and their members: `org create`, `org list`, `org add-member`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{create,list,add-member}"
        )
        create = sub.add_parser("create", help="Create an organization (an importer company).")
        create.add_argument("name", help="The organization's name.")
        create.add_argument("--slug", help="Short id used in URLs and commands.")
        sub.add_parser("list", help="List organizations and member counts.")
        add = sub.add_parser(
            "add-member",
            help="Give a user a role in an organization (creates the user if needed).",
        )
        add.add_argument("slug", help="The organization's slug.")
        add.add_argument("username", help="The person's user name (created if new).")
        add.add_argument(
            "--role", choices=Role.values, required=True, help="What the person may do there."
        )
        add.add_argument("--email", default="", help="The person's email address.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            with transaction.atomic():
                if action == "create":
                    org = organization_create(name=options["name"], slug=options["slug"])
                    self.stdout.write(f"Created organization {org.name!r} (slug {org.slug}).")
                elif action == "list":
                    for org in Organization.objects.all():
                        count = org.memberships.count()
                        self.stdout.write(f"{org.slug:<30} {org.name}  ({count} members)")
                else:
                    self._add_member(options)
        except ValidationError as exc:
            fail("; ".join(exc.messages))

    def _add_member(self, options: dict[str, Any]) -> None:
        org = Organization.objects.filter(slug=options["slug"]).first()
        if org is None:
            fail(f"no organization with slug {options['slug']!r} (see `chainproof org list`)")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = user_create(
                username=options["username"],
                password=password,
                email=options["email"],
                organization=org,
            )
            self.stdout.write(
                f"Created user {user.username!r} with password {password} (shown once)."
            )
        existing = Membership.objects.filter(user=user, organization=org).first()
        if existing is not None:
            membership_set_role(membership=existing, role=options["role"], actor=None)
            self.stdout.write(f"{user.username} is now {options['role']} in {org.slug}.")
        else:
            membership_create(organization=org, user=user, role=options["role"])
            self.stdout.write(f"Added {user.username} to {org.slug} as {options['role']}.")
