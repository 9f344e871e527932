"""Every schema of the REST API has a name of its own: django-ninja names OpenAPI
components after the class, so two classes of one name in two apps would make one of them
document (and validate) the other's fields."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from ninja import Schema

import chainproof


def test_no_two_api_schemas_share_a_name():
    for module in pkgutil.walk_packages(chainproof.__path__, "chainproof."):
        if module.name.endswith(".api"):
            importlib.import_module(module.name)
    owners: dict[str, set[str]] = defaultdict(set)
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("chainproof."):
            owners[cls.__name__].add(cls.__module__)
    assert len(owners) > 20
    assert {name: mods for name, mods in owners.items() if len(mods) > 1} == {}
