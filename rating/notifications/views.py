from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from rating.forms import Form
from rating.notifications import services
from rating.notifications.messages import appealable_action, describe
from rating.web import page_number

bp = Blueprint("notifications", __name__)
PER_PAGE = 30


@bp.get("/notifications")
@login_required
def index():
    page = page_number()
    items, total = services.notifications_for(current_user, page, PER_PAGE)
    return render_template(
        "notifications/index.html",
        items=items,
        total=total,
        page=page,
        per_page=PER_PAGE,
        describe=describe,
        appealable=appealable_action,
        form=Form(),
    )


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id):
    if Form().validate_on_submit():
        services.mark_read(current_user, notification_id)
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/read-all")
@login_required
def mark_all_read():
    if Form().validate_on_submit():
        services.mark_all_read(current_user)
    return redirect(url_for("notifications.index"))
