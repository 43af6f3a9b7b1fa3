"""Building blocks shared by every resource: the error shape, pagination, safe text."""

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, pre_load, validate

from rating.formfields import MAX_ID, MAX_PAGE, NOT_UNICODE, REQUIRED, is_storable

MAX_PER_PAGE = 100
# Integer path parameters: bounded, so no database is ever asked about an impossible id.
ID = f"int(max={MAX_ID})"

NOT_NULL = _l("This field cannot be null.")
NOT_TEXT = _l("Must be text.")
NOT_INTEGER = _l("Must be a whole number.")
NOT_BOOLEAN = _l("Must be true or false.")
NOT_DATE = _l("Must be a date like 2025-03-14.")
UNKNOWN = _l("This field is not accepted here.")


class Input(Schema):
    """Base of request schemas: unknown fields and text no database can hold are refused."""

    class Meta:
        ordered = True

    error_messages = {"unknown": UNKNOWN, "type": _l("Send a JSON object.")}

    @pre_load
    def refuse_unstorable_text(self, data, **kwargs):
        if isinstance(data, Mapping):
            problems = {
                key: [str(NOT_UNICODE)]
                for key, value in data.items()
                if isinstance(value, str) and not is_storable(value)
            }
            if problems:
                raise ValidationError(problems)
        return data


def text(*, required=False, **kwargs) -> fields.String:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": NOT_TEXT}
    return fields.String(required=required, error_messages=messages, **kwargs)


def integer(*, required=False, **kwargs) -> fields.Integer:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": NOT_INTEGER}
    return fields.Integer(required=required, strict=True, error_messages=messages, **kwargs)


class StrictBoolean(fields.Boolean):
    """JSON true or false only: not 1, 0, "yes" or "on"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return value
        raise self.make_error("invalid")


def boolean(*, required=False, **kwargs) -> StrictBoolean:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": NOT_BOOLEAN}
    return StrictBoolean(required=required, error_messages=messages, **kwargs)


def date(*, required=False, **kwargs) -> fields.Date:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": NOT_DATE}
    return fields.Date(required=required, error_messages=messages, **kwargs)


class ErrorDetail(Schema):
    code = fields.String(required=True, metadata={"example": "invalid"})
    message = fields.String(
        required=True, metadata={"example": "Some of what you sent is not valid."}
    )
    problems = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={
            "description": "Problems by field name (nested fields joined with dots).",
            "example": {"handle": "This handle is taken; choose another."},
        },
    )


class ErrorSchema(Schema):
    """Every refusal of the API."""

    error = fields.Nested(ErrorDetail, required=True)


class PageArgs(Input):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Page number, from 1."},
    )
    per_page = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": f"Items per page, at most {MAX_PER_PAGE}."},
    )


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The envelope of a list: {"items": [...], "page", "per_page", "total"}."""
    return type(
        name,
        (Schema,),
        {
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
        },
    )


def page_of(items, args: dict, total: int) -> dict:
    return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}
