"""Plain urllib against the app under test: sign in, fetch a CSRF token, probe a page.

Redirects are not followed (a 302 is an answer worth seeing) and cookies are kept by
hand, so that the same session cookie can be handed to wrk.
"""

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

USER_AGENT = "reciproca-bench"  # wrk sends the same, so the session stays "fresh"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class Answer:
    status: int
    body: bytes
    location: str = ""


@dataclass
class Session:
    base: str  # http://127.0.0.1:port
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, path: str, form: dict | None = None) -> Answer:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 - our own
        request.add_header("User-Agent", USER_AGENT)
        if self.cookies:
            request.add_header("Cookie", self.cookie_header)
        try:
            response = _opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Answer(response.status, response.read(), response.headers.get("Location", ""))

    def csrf_token(self, path: str) -> str:
        answer = self.request(path)
        match = CSRF_RE.search(answer.body.decode(errors="replace"))
        if not match:
            raise RuntimeError(f"no CSRF token on {path} (status {answer.status})")
        return match.group(1)

    def sign_in(self, email: str, password: str) -> None:
        token = self.csrf_token("/sign-in")
        answer = self.request(
            "/sign-in", {"csrf_token": token, "email": email, "password": password}
        )
        if answer.status != 302:
            raise RuntimeError(f"signing in as {email} answered {answer.status}, not 302")
