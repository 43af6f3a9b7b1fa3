from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from rating.businesses.categories import category_choices
from rating.profiles import services
from rating.reviews.labels import dimension_label

bp = Blueprint("profiles", __name__)


def _page_number() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


@bp.get("/businesses")
def directory():
    filters = {name: request.args.get(name, "").strip()[:80] for name in ("q", "city", "category")}
    sort = request.args.get("sort", "score")
    if sort not in services.SORTS:
        sort = "score"
    page = _page_number()
    entries, total = services.directory(**filters, sort=sort, page=page)
    return render_template(
        "profiles/directory.html",
        entries=entries,
        total=total,
        page=page,
        per_page=20,
        filters=filters,
        sort=sort,
        cities=services.cities(),
        categories=category_choices(),
    )


@bp.get("/businesses/<handle>")
def business(handle):
    found = services.find_business(handle)
    reviews = services.business_reviews(found, request.args.get("before"))
    return render_template(
        "profiles/business.html",
        business=found,
        profile=services.business_profile(found),
        reviews=reviews,
        thanks=services.recent_thanks_to_business(found.id),
        dimension_label=dimension_label,
    )


@bp.get("/customers/<handle>")
def customer(handle):
    found = services.find_customer_for(current_user, handle)
    reviews = services.customer_reviews(found, request.args.get("before"))
    page = render_template(
        "profiles/customer.html",
        customer=found,
        profile=services.customer_profile(found),
        reviews=reviews,
        is_self=current_user.is_authenticated and current_user.id == found.id,
        form=FlaskForm(),
        dimension_label=dimension_label,
    )
    response = make_response(page)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.post("/customers/<handle>/visibility")
@login_required
def visibility(handle):
    found = services.find_customer_for(current_user, handle)
    if found.id != current_user.id:
        abort(403)
    if FlaskForm().validate_on_submit():
        public = request.form.get("public") == "1"
        services.set_profile_public(found, public)
    return redirect(url_for("profiles.customer", handle=handle))
