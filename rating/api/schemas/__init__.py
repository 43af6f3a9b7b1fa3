"""marshmallow schemas of the API: they validate requests, shape responses and are the
source of the OpenAPI document."""
