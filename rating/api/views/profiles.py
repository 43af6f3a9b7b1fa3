"""The business directory, business and customer profiles, and their revealed reviews."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from rating.api.blueprint import ApiBlueprint
from rating.api.schemas.common import PageArgs, page_of
from rating.api.schemas.profiles import (
    BusinessPage,
    BusinessProfileSchema,
    CustomerProfileSchema,
    DirectoryArgs,
    PublicReviewPage,
)
from rating.extensions import db
from rating.profiles import services
from rating.reviews.models import Review
from rating.reviews.services import verdict_field
from rating.scores.services import Profile, dimensions_about

bp = ApiBlueprint("profiles", __name__, description="The directory and public profiles.")

FORMER = {"customer": _l("former customer"), "business": _l("former business")}


def _rate(value):
    return None if value is None else round(value, 3)


def figures(profile: Profile) -> dict:
    scores = profile.scores or {}
    return {
        "scores": {
            **{name: scores.get(name) for name in dimensions_about(profile.subject_type)},
            "overall": profile.overall,
            "count": profile.count,
        },
        "enough_reviews": profile.has_score,
        "min_reviews": profile.min_reviews,
        "distribution": {str(stars): n for stars, n in profile.distribution.items()},
        "thanks_count": profile.thanks_received,
        "review_rate": _rate(profile.review_rate),
        "median_time_to_review_hours": profile.median_time_to_review_hours,
        "gives_average": profile.gives_average,
        "gives_count": profile.gives_count,
        "trend": [{"month": m, "reviews": n, "average": avg} for m, n, avg in profile.trend],
    }


def business_data(business, profile: Profile) -> dict:
    return {
        "handle": business.handle,
        "name": business.name,
        "category": business.category,
        "city": business.city,
        "description": business.description,
        **figures(profile),
        "recommend_rate": _rate(profile.verdict_rate),
        "reply_rate": _rate(profile.reply_rate),
    }


def public_review(review: Review) -> dict:
    encounter = review.encounter
    if review.side == "customer":
        customer = encounter.customer
        author = customer.display_name if customer.email is not None else str(FORMER["customer"])
    else:
        author = encounter.business.name
    reply = review.reply if review.reply and review.reply.visibility == "visible" else None
    verdict = verdict_field(review.side)
    return {
        "id": review.id,
        "side": review.side,
        "author": author,
        "unconfirmed_encounter": encounter.status == "unconfirmed",
        "overall": review.overall(),
        **review.scores(),
        verdict: getattr(review, verdict),
        "comment": review.comment,
        "submitted_at": review.submitted_at,
        "reply": reply,
    }


def reviews_page(query, args: dict) -> dict:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page, per_page = args["page"], args["per_page"]
    rows = db.session.scalars(
        query.order_by(Review.submitted_at.desc(), Review.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return page_of([public_review(review) for review in rows], args, total)


@bp.route("/businesses", methods=["GET"])
@bp.arguments(DirectoryArgs, location="query")
@bp.response(200, BusinessPage)
@bp.refusals(401, 422, 429)
def directory(args):
    """The business directory

    Search by name (`q`), filter by `city` and `category`; `sort` by `score` (Bayesian,
    businesses with enough reviews first), `reviews` or `recent`.
    """
    filters = {name: (args.get(name) or "").strip() for name in ("q", "city", "category")}
    entries, total = services.directory(
        **filters, sort=args["sort"], page=args["page"], per_page=args["per_page"]
    )
    items = [business_data(entry.business, entry.profile) for entry in entries]
    return page_of(items, args, total)


@bp.route("/businesses/<handle>", methods=["GET"])
@bp.response(200, BusinessProfileSchema)
@bp.refusals(401, 404, 429)
def business(handle):
    """A business profile: scores, rates and thanks"""
    found = services.find_business(handle)
    return business_data(found, services.business_profile(found))


@bp.route("/businesses/<handle>/reviews", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, PublicReviewPage)
@bp.refusals(401, 404, 422, 429)
def business_reviews(args, handle):
    """Revealed reviews of a business, with replies (newest first)"""
    found = services.find_business(handle)
    query = services.shown_reviews_query("customer", Review.business_id, found.id)
    return reviews_page(query, args)


@bp.route("/customers/<handle>", methods=["GET"])
@bp.token_optional
@bp.response(200, CustomerProfileSchema)
@bp.refusals(401, 404, 429)
def customer(handle):
    """A customer's etiquette profile

    Visible to the customer, to the businesses that share an encounter with them, and
    to everyone if the customer made it public; 404 for anyone else.
    """
    found = services.find_customer_for(current_user, handle)
    profile = services.customer_profile(found)
    return {
        "handle": found.handle,
        "display_name": found.display_name,
        **figures(profile),
        "would_serve_again_rate": _rate(profile.verdict_rate),
    }


@bp.route("/customers/<handle>/reviews", methods=["GET"])
@bp.token_optional
@bp.arguments(PageArgs, location="query")
@bp.response(200, PublicReviewPage)
@bp.refusals(401, 404, 422, 429)
def customer_reviews(args, handle):
    """Revealed reviews of a customer (same visibility as the profile)"""
    found = services.find_customer_for(current_user, handle)
    query = services.shown_reviews_query("business", Review.customer_id, found.id)
    return reviews_page(query, args)
