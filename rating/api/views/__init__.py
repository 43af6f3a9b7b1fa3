"""Views of the API, one module per resource. Each view parses, calls one service and
returns its result; the rules live in the services, shared with the web."""
