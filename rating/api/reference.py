"""/api/docs: the OpenAPI document rendered as a plain page (no CDN, no JavaScript)."""

from flask import Blueprint, render_template
from markupsafe import Markup, escape

from rating.api.document import openapi_document

bp = Blueprint("api_docs", __name__, template_folder="templates")

METHODS = ("get", "post", "put", "patch", "delete")


def with_code(text: str) -> Markup:
    """Markdown's `inline code` as <code>, everything else escaped."""
    shown = Markup("")
    for n, part in enumerate(str(text).split("`")):
        shown += Markup("<code>{}</code>").format(part) if n % 2 else escape(part)
    return shown


def _status_order(status: str) -> tuple[int, str]:
    return (0 if status.isdigit() and status.startswith("2") else 1, status)


def _resolve(document: dict, node: dict | None) -> dict:
    while node and "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = document["components"][kind][name]
    return node or {}


def _type_of(document: dict, schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].split("/")[-1]
    if schema.get("type") == "array":
        return f"list of {_type_of(document, schema.get('items', {}))}"
    kind = schema.get("type", "object")
    if schema.get("format"):
        kind += f" ({schema['format']})"
    if schema.get("nullable"):
        kind += " or null"
    return kind


def _notes(schema: dict) -> str:
    notes = []
    if "enum" in schema:
        notes.append("one of " + ", ".join(str(v) for v in schema["enum"] if v is not None))
    for key, label in (
        ("minimum", "min"),
        ("maximum", "max"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
    ):
        if key in schema:
            notes.append(f"{label} {schema[key]}")
    if schema.get("description"):
        notes.append(schema["description"])
    return "; ".join(notes)


def _fields(document: dict, schema: dict) -> list[dict]:
    schema = _resolve(document, schema)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": _type_of(document, prop),
            "required": name in required,
            "notes": _notes(_resolve(document, prop) if "$ref" not in prop else prop),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(document: dict, path: str, method: str, op: dict) -> dict:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    responses = []
    for status, response in sorted(
        op.get("responses", {}).items(), key=lambda r: _status_order(r[0])
    ):
        response = _resolve(document, response)
        content = response.get("content", {}).get("application/json", {})
        schema = content.get("schema")
        responses.append(
            {
                "status": status,
                "description": response.get("description", ""),
                "schema": _type_of(document, schema) if schema else "",
            }
        )
    return {
        "method": method.upper(),
        "path": path,
        "summary": op.get("summary", ""),
        "description": op.get("description", ""),
        "signed_in": bool(op.get("security")),
        "parameters": [
            {
                "name": p["name"],
                "where": p["in"],
                "type": _type_of(document, p.get("schema", {})),
                "notes": _notes(p.get("schema", {})),
            }
            for p in op.get("parameters", [])
        ],
        "body": _fields(document, body["schema"]) if body else [],
        "body_required": op.get("requestBody", {}).get("required", False),
        "responses": responses,
    }


def sections(document: dict) -> list[dict]:
    """Operations grouped by tag, in the document's order."""
    grouped: dict[str, list[dict]] = {tag["name"]: [] for tag in document.get("tags", [])}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["other"])[0]
                grouped.setdefault(tag, []).append(_operation(document, path, method, op))
    descriptions = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    return [
        {"name": name, "description": descriptions.get(name, ""), "operations": ops}
        for name, ops in grouped.items()
        if ops
    ]


@bp.get("/api/docs")
def page():
    document = openapi_document()
    return render_template(
        "api/docs.html", info=document["info"], sections=sections(document), with_code=with_code
    )
