"""What `make bench` loads: one row per page, edited here when pages come and go.

`auth` names an account of the scale data set (see ACCOUNTS); `target` is the least
share of the ceiling's requests per second the page should reach. A path that answers
404 is reported as missing, not measured, so a page can be listed before it exists.
"""

from dataclasses import dataclass, field

from rating.seed.scale import EMAIL_DOMAIN, SCALE_PASSWORD

ACCOUNTS = {
    "business": f"top@{EMAIL_DOMAIN}",  # owner of @scale-top
    "customer": f"regular@{EMAIL_DOMAIN}",  # @scale-regular: met @scale-top and many others
    "writer": f"writer@{EMAIL_DOMAIN}",  # @scale-writer: the bench gives it fresh encounters
}
PASSWORD = SCALE_PASSWORD

READ_P99_LIMIT_MS = 50.0  # every read page, at the bench's 16 connections
LARGE_VS_SMALL_LIMIT = 1.2  # business page with 50,000 reviews vs one with 50: latency
WORKER_RSS_LIMIT_MB = 150.0

REVIEW_FORM = {
    "mode": "new",
    "attention": "4",
    "proactivity": "5",
    "promises_kept": "4",
    "respect": "5",
    "honesty": "5",
    "recommend": "yes",
    "comment": "Quick and friendly, and they called back as promised.",
}


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # "{id}" is replaced by a fresh encounter id for each request
    method: str = "GET"
    auth: str | None = None
    target: float | None = None
    form: dict[str, str] = field(default_factory=dict)

    @property
    def fresh(self) -> bool:
        return "{id}" in self.path


BUSINESS_LARGE = Page("business page, ~50k reviews", "/businesses/scale-top", target=0.5)
BUSINESS_SMALL = Page("business page, ~50 reviews", "/businesses/scale-small")

PAGES = [
    BUSINESS_LARGE,
    BUSINESS_SMALL,
    Page("directory: search + city + by score", "/businesses?q=bar&city=Madrid&sort=score",
         target=0.4),
    Page("customer page, seen by a business", "/customers/scale-regular", auth="business",
         target=0.4),
    Page("encounter dashboard (business)", "/encounters", auth="business"),
    Page("home page", "/"),
    Page("review submission (POST)", "/encounters/{id}/review", method="POST", auth="writer",
         target=0.25, form=REVIEW_FORM),
]  # fmt: skip

# The ceiling renders a page as large as this one (or CEILING_DEFAULT_BYTES if it is missing).
CEILING_SIZE_OF = BUSINESS_LARGE
CEILING_DEFAULT_BYTES = 40_000
