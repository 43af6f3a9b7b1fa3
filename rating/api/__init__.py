"""JSON API v1 (PRODUCT.md section 10): bearer tokens, the same services as the web.

`rating.api.setup.register_api(app)` builds it; each resource has its views in `views/`
and its marshmallow schemas in `schemas/`, from which the OpenAPI document is generated.
"""
