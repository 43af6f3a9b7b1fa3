"""The API's blueprint class: flask-smorest's, with refusals and the token requirement
documented next to the code that enforces them."""

import http
import json

from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser

from rating.api.auth import require_token

SECURITY = [{"bearerAuth": []}]
OPTIONAL_SECURITY = [{}, {"bearerAuth": []}]


class Parser(FlaskParser):
    """webargs' parser, but JSON that Python cannot read although it is well formed
    (nested too deeply: RecursionError; an integer of more than 4,300 digits: ValueError)
    is refused like any body that is not valid JSON, instead of failing with a 500."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError) as error:
            raise json.JSONDecodeError(str(error), "<body>", 0) from error


class ApiBlueprint(Blueprint):
    """A resource of the API; its routes are tagged with the resource's name."""

    ARGUMENTS_PARSER = Parser()

    def route(self, rule, *, parameters=None, tags=None, **options):
        return super().route(rule, parameters=parameters, tags=tags or [self.name], **options)

    def refusals(self, *statuses: int):
        """Document the error responses a view may give, all with the Error schema."""

        def decorator(func):
            for status in statuses:
                func = self.alt_response(status, response=http.HTTPStatus(status).name)(func)
            return func

        return decorator

    def signed_in(self, func):
        """Require a valid bearer token (401 otherwise), and say so in the document."""
        func = self.alt_response(401, response=http.HTTPStatus(401).name)(require_token(func))
        return self.doc(security=SECURITY)(func)

    def token_optional(self, func):
        """Anyone may call it; with a token, what it shows may depend on who you are."""
        return self.doc(security=OPTIONAL_SECURITY)(func)
