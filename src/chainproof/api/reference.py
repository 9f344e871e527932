"""The API reference as a page of chainproof's own (api/reference.html): drawn on the server
from the OpenAPI schema the API serves, in the web app's layout, with no script.

Swagger UI (django-ninja's bundled copy, api/explorer.html) stays reachable from that page
as an interactive explorer for developers: its markup is not chainproof's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from ninja import Swagger
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

_METHODS = ("get", "post", "put", "patch", "delete")
_WHERE = {"path": "path", "query": "query string", "header": "header", "cookie": "cookie"}


@dataclass
class Field:
    name: str
    where: str
    type: str
    required: bool
    description: str
    refs: list[str] = field(default_factory=list)  # the schemas its type names


@dataclass
class Response:
    status: str
    description: str
    body: str
    refs: list[str] = field(default_factory=list)


@dataclass
class Model:
    """A named schema (components/schemas): a body or an answer's fields."""

    name: str
    anchor: str
    description: str
    fields: list[Field]


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field]
    body_type: str  # the media type of the request body ("" for none)
    body_name: str
    body: list[Field]
    responses: list[Response]
    signed_in: bool


@dataclass
class Section:
    anchor: str
    title: str
    operations: list[Operation] = field(default_factory=list)


def describe(schema: dict[str, Any]) -> str:
    """A JSON schema's type in a few words: "integer", "list of SupplierOut", "date or null"."""
    if "$ref" in schema:
        return _named(schema["$ref"])
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            return " or ".join(dict.fromkeys(describe(part) for part in schema[combined]))
    kind = schema.get("type", "")
    if kind == "array":
        return f"list of {describe(schema.get('items', {}))}"
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if schema.get("format") == "binary":
        return "file"
    if schema.get("format"):
        return f"{kind} ({schema['format']})" if kind != "string" else str(schema["format"])
    return str(kind) or "any"


def refs(schema: Any) -> list[str]:
    """The named schemas a JSON schema refers to, in order, once each."""
    found: list[str] = []
    if isinstance(schema, dict):
        if "$ref" in schema:
            found.append(_named(schema["$ref"]))
        for value in schema.values():
            found.extend(refs(value))
    elif isinstance(schema, list):
        for value in schema:
            found.extend(refs(value))
    return list(dict.fromkeys(found))


def _named(ref: Any) -> str:
    """The name a $ref points to: "#/components/schemas/X" (or "#/$defs/X", as in ErrorOut)."""
    return str(ref).rsplit("/", 1)[-1]


def schema_anchor(name: str) -> str:
    return f"schema-{slugify(name)}"


def _note(schema: dict[str, Any]) -> str:
    """The description of a field, with its bounds and default."""
    parts = [str(schema["description"])] if schema.get("description") else []
    for part in schema.get("anyOf", []):  # an optional value: the bounds of its non-null kind
        if part.get("type") != "null":
            schema = {**part, **schema}
    if "default" in schema and schema["default"] not in ("", None, [], {}):
        parts.append(f"Default: {schema['default']}.")
    for key, label in (("minimum", "At least"), ("maximum", "At most")):
        if key in schema and schema[key] < 2**53:
            parts.append(f"{label} {schema[key]}.")
    if "maxLength" in schema:
        parts.append(f"At most {schema['maxLength']} characters.")
    return " ".join(parts)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return dict(components.get(_named(schema["$ref"]), {}))
    return schema


def _fields(schema: dict[str, Any]) -> list[Field]:
    """The properties of an object schema, each with its type and whether it is required."""
    required = set(schema.get("required", []))
    return [
        Field(
            name=name,
            where="body",
            type=describe(prop),
            required=name in required,
            description=_note(prop),
            refs=refs(prop),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def _body(operation: dict[str, Any], components: dict[str, Any]) -> tuple[str, str, list[Field]]:
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return "", "", []
    media_type, described = next(iter(content.items()))
    given = described.get("schema", {})
    name = describe(given) if "$ref" in given else ""
    return media_type, name, _fields(_resolve(given, components))


def models(schema: dict[str, Any]) -> list[Model]:
    """Every named schema, by name."""
    components = schema.get("components", {}).get("schemas", {})
    return [
        Model(
            name=name,
            anchor=schema_anchor(name),
            description=str(definition.get("description", "")),
            fields=_fields(definition),
        )
        for name, definition in sorted(components.items())
    ]


def _responses(operation: dict[str, Any]) -> list[Response]:
    answers = []
    for status, response in sorted(operation.get("responses", {}).items()):
        content = response.get("content", {})
        body, named = "", []
        if content:
            media_type, described = next(iter(content.items()))
            body = describe(described.get("schema", {})) if described.get("schema") else ""
            body = body or media_type
            named = refs(described.get("schema", {}))
        answers.append(Response(str(status), str(response.get("description", "")), body, named))
    return answers


def sections(schema: dict[str, Any]) -> list[Section]:
    """Every operation of an OpenAPI schema, grouped by tag in the order the schema gives."""
    components = schema.get("components", {}).get("schemas", {})
    by_tag: dict[str, Section] = {}
    for path, operations in schema.get("paths", {}).items():
        for method in _METHODS:
            if method not in operations:
                continue
            operation = operations[method]
            tag = (operation.get("tags") or ["other"])[0]
            section = by_tag.setdefault(tag, Section(f"tag-{slugify(tag)}", tag.capitalize()))
            media_type, body_name, body = _body(operation, components)
            section.operations.append(
                Operation(
                    anchor=operation.get("operationId") or slugify(f"{method} {path}"),
                    method=method.upper(),
                    path=path,
                    summary=str(operation.get("summary", "")),
                    description=str(operation.get("description", "")),
                    parameters=[
                        Field(
                            name=str(parameter["name"]),
                            where=_WHERE.get(parameter["in"], parameter["in"]),
                            type=describe(parameter.get("schema", {})),
                            required=bool(parameter.get("required")),
                            description=_note(
                                {
                                    **parameter.get("schema", {}),
                                    "description": parameter.get("description")
                                    or parameter.get("schema", {}).get("description", ""),
                                }
                            ),
                            refs=refs(parameter.get("schema", {})),
                        )
                        for parameter in operation.get("parameters", [])
                    ],
                    body_type=media_type,
                    body_name=body_name,
                    body=body,
                    responses=_responses(operation),
                    signed_in=bool(operation.get("security", schema.get("security"))),
                )
            )
    return list(by_tag.values())


class ChainproofReference(DocsBase):
    """The page at /api/v1/docs (the navigation's "API"): the reference, drawn here."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        found = sections(schema)
        context = {
            "api": schema.get("info", {}),
            "sections": found,
            "models": models(schema),
            "operations": sum(len(section.operations) for section in found),
            "openapi_url": self.get_openapi_url(api, kwargs),
        }
        return render(request, "api/reference.html", context)


class ChainproofExplorer(Swagger):
    """Swagger UI in a page of ours (a language, a main landmark): api/explorer.html."""

    template = "api/explorer.html"
