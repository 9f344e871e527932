"""What every REST input shares, for the routers each app contributes to the API.

The bounds are stated in the schema, so that a value the database cannot hold is refused
as a 422 naming the field (and documented in the OpenAPI schema), never sent to the
database: SQLite stores 64-bit integers, PostgreSQL's ``integer`` columns 32-bit ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import BaseModel, ModelWrapValidatorHandler, ValidationInfo, model_validator

ID_MAX = 2**63 - 1  # the largest primary key either database stores
INT_MAX = 2**31 - 1  # the largest value of an integer column on PostgreSQL
PAGE_MAX = 10**9  # a page number past every list (offset = page x 500 fits in 64 bits)

Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Count = Annotated[int, Field(ge=0, le=INT_MAX)]
SmallCount = Annotated[int, Field(ge=0, le=32767)]  # a small integer column
Year = Annotated[int, Field(ge=1, le=9999)]


class BodyIn(Schema):
    """A JSON request body: an object, never an array or a scalar.

    django-ninja's schemas read attributes of whatever they are given, so without this a
    JSON array passes as an object whose fields are all left out.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        # Replaces ninja's validator of the same name, which wraps any value in a getter.
        if isinstance(values, BaseModel):
            return handler(values)
        if not isinstance(values, Mapping):
            found = "null" if values is None else type(values).__name__
            raise ValueError(f"Expected a JSON object, found {found}.")
        return handler(values)


class Pages(PageNumberPagination):
    """Page-number paging with the page number bounded (a huge one is a 422, not a 500)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        page_size: int | None = Field(None, ge=1, le=PAGE_MAX)
