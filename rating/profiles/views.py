from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from rating import pagecache
from rating.businesses.categories import category_choices
from rating.encounters.models import Encounter
from rating.forms import Form
from rating.profiles import services
from rating.profiles.permissions import customer_page_audience, is_own_page
from rating.reviews.labels import dimension_label
from rating.web import page_number

bp = Blueprint("profiles", __name__)


@bp.get("/businesses")
def directory():
    filters = {name: request.args.get(name, "").strip()[:80] for name in ("q", "city", "category")}
    sort = request.args.get("sort", "score")
    if sort not in services.SORTS:
        sort = "score"
    page = page_number()

    def context():
        entries, total = services.directory(**filters, sort=sort, page=page)
        return {
            "entries": entries,
            "total": total,
            "page": page,
            "per_page": 20,
            "filters": filters,
            "sort": sort,
            "cities": services.cities(),
            "categories": category_choices(),
        }

    parts = pagecache.fragments(
        lambda: [pagecache.DIRECTORY],
        ("directory", request.host_url, request.full_path),
        {"body": "profiles/_directory_body.html"},
        context,
        good_until=services.next_reveal,
    )
    return render_template("profiles/directory.html", parts=parts)


@bp.get("/businesses/<handle>")
def business(handle):
    found = {}

    def subjects():
        found["business"] = services.find_business(handle)
        return [("business", found["business"].id)]

    def context():
        business = found["business"]
        return {
            "business": business,
            "profile": services.business_profile(business),
            "reviews": services.business_reviews(business, request.args.get("before")),
            "thanks": services.recent_thanks_to_business(business.id),
            "dimension_label": dimension_label,
        }

    parts = pagecache.fragments(
        subjects,
        ("business", request.host_url, request.full_path),
        {
            "title": "profiles/_business_title.html",
            "meta": "profiles/_business_meta.html",
            "body": "profiles/_business_body.html",
        },
        context,
        good_until=lambda since: services.next_reveal(
            since, Encounter.business_id, found["business"].id
        ),
    )
    return render_template("profiles/business.html", parts=parts)


@bp.get("/customers/<handle>")
def customer(handle):
    found = {}
    is_self = is_own_page(current_user, handle)

    def subjects():
        found["customer"] = services.find_customer_for(current_user, handle)
        return [("customer", found["customer"].id)]

    def context():
        return {
            "customer": found["customer"],
            "profile": services.customer_profile(found["customer"]),
            "reviews": services.customer_reviews(found["customer"], request.args.get("before")),
            "is_self": is_self,
            "form": Form() if is_self else None,  # only the customer's own toggle
            "dimension_label": dimension_label,
        }

    # Who may see the page is part of the key: a hit needs no permission check.
    audience = customer_page_audience(current_user)
    parts = pagecache.fragments(
        subjects,
        ("customer", request.host_url, request.full_path, audience),
        {"title": "profiles/_customer_title.html", "body": "profiles/_customer_body.html"},
        context,
        cacheable=not is_self,
        good_until=lambda since: services.next_reveal(
            since, Encounter.customer_id, found["customer"].id
        ),
    )
    response = make_response(render_template("profiles/customer.html", parts=parts))
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.post("/customers/<handle>/visibility")
@login_required
def visibility(handle):
    found = services.find_customer_for(current_user, handle)
    if found.id != current_user.id:
        abort(403)
    if Form().validate_on_submit():
        public = request.form.get("public") == "1"
        services.set_profile_public(found, public)
    return redirect(url_for("profiles.customer", handle=handle))
