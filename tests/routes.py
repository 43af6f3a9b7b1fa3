"""The app's routes as the route-driven tests see them (access matrices, fuzzing): read
from the URL map, so a route added without its entry in such a table fails a test."""


def routes(app, *, api: bool) -> dict[tuple[str, str], list[str]]:
    """(endpoint, method) -> the names of its URL arguments: the /api/v1 routes (`api`),
    or the website's (static files aside)."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api.") != api:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found[(rule.endpoint, method)] = sorted(rule.arguments)
    return found


def assert_listed(found, listed, table: str) -> None:
    """Every route found has an entry in `table`, and every entry names a route."""
    missing = sorted(set(found) - set(listed))
    assert not missing, f"add these routes to {table}: {missing}"
    stale = sorted(set(listed) - set(found))
    assert not stale, f"these entries of {table} name routes that no longer exist: {stale}"
