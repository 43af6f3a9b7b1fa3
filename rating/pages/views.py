from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import format_decimal
from flask_login import current_user

from rating import pagecache
from rating.extensions import csrf, db
from rating.profiles import services as profile_services
from rating.web import safe_next

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    # Its lists change with the directory (scores, thanks, names): cached as the directory.
    parts = pagecache.fragments(
        lambda: [pagecache.DIRECTORY],
        ("home", request.host_url),
        {"lists": "pages/_home_lists.html"},
        lambda: {
            "recommended": profile_services.most_recommended(),
            "recent_thanks": profile_services.recent_public_thanks(),
        },
        good_until=profile_services.next_reveal,
    )
    return render_template("pages/home.html", parts=parts)


@bp.get("/how-reviews-work")
def how_reviews_work():
    cfg = current_app.config
    numbers = {
        "window_days": cfg["REVIEW_WINDOW_SECONDS"] // 86400,
        "prior_mean": format_decimal(cfg["SCORE_PRIOR_MEAN"]),
        "prior_weight": format_decimal(cfg["SCORE_PRIOR_WEIGHT"]),
        "min_reviews": cfg["SCORE_MIN_REVIEWS"],
        "flag_threshold": cfg["FLAG_HIDE_THRESHOLD"],
        "invitation_days": cfg["INVITATION_VALID_DAYS"],
        "daily_records": cfg["UNCONFIRMED_RECORDS_PER_DAY"],
    }
    return render_template("pages/how_reviews_work.html", n=numbers)


@bp.post("/language")
@csrf.exempt
def set_language():
    """Footer language switch: remembered in the session and, when signed in, the account.

    Only a signed-in switch needs the CSRF token: it changes the account. A visitor's
    choice lives in their own session, so pages for visitors carry no token and can be
    served without creating one (see rating/pagecache.py).
    """
    if current_user.is_authenticated and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("pages.home")))
