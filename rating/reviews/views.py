from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from rating.encounters.permissions import acting_side, side_of
from rating.encounters.services import encounter_for
from rating.errors import Invalid
from rating.reviews import services
from rating.reviews.forms import ReplyForm, WithdrawForm, review_form_for, review_values
from rating.thanks.forms import ThanksForm
from rating.thanks.services import send_thanks
from rating.web import show_invalid

bp = Blueprint("reviews", __name__)
SUBMITTED = _l(
    "Review submitted. It stays sealed until both sides have reviewed or the window closes."
)


@bp.route("/encounters/<int:encounter_id>/review", methods=["GET", "POST"])
@login_required
def edit(encounter_id):
    form = None
    user = current_user._get_current_object()  # the user itself: each use of the proxy costs
    side = acting_side(user)
    if request.method == "POST" and side:
        # CSRFProtect has checked the token, and the service checks every field (as for
        # the API): the form is built only to show what it refused. The service reads
        # and locks the encounter; it is read below only to show the form.
        try:
            _review, created = services.submit_review(
                user,
                encounter_id,
                review_values(request.form, side),
                expect_new=request.form.get("mode") != "edit",
            )
        except Invalid as error:
            form = review_form_for(side, formdata=request.form)
            show_invalid(form, error)
        else:
            flash(SUBMITTED if created else _("Review updated."), "success")
            return redirect(url_for("encounters.show", encounter_id=encounter_id))
    encounter = encounter_for(user, encounter_id)
    side = side_of(user, encounter)
    mine = services.own_review(encounter, side)
    if form is None:
        form = review_form_for(side, mine)
    status = 422 if form.errors else 200  # a refused POST shows the review as it stands
    return render_template(
        "reviews/form.html",
        encounter=encounter,
        side=side,
        form=form,
        mine=mine,
        withdraw_form=WithdrawForm(),
    ), status


@bp.post("/encounters/<int:encounter_id>/review/withdraw")
@login_required
def withdraw(encounter_id):
    if WithdrawForm().validate_on_submit():
        services.withdraw_review(current_user, encounter_id)
        flash(_("Your review is withdrawn."), "info")
    return redirect(url_for("encounters.show", encounter_id=encounter_id))


@bp.post("/reviews/<int:review_id>/reply")
@login_required
def reply(review_id):
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            if form.mode.data == "edit":
                reply = services.edit_reply(current_user, review_id, form.text.data)
            else:
                reply = services.reply_to_review(current_user, review_id, form.text.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            flash(_("Your reply is published."), "success")
            return redirect(url_for("encounters.show", encounter_id=reply.review.encounter_id))
    return render_template("reviews/reply_error.html", form=form), 422


@bp.post("/encounters/<int:encounter_id>/thanks")
@login_required
def thanks(encounter_id):
    form = ThanksForm()
    if form.validate_on_submit():
        try:
            send_thanks(current_user, encounter_id, form.message.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            flash(_("Your thanks is sent."), "success")
            return redirect(url_for("encounters.show", encounter_id=encounter_id))
    encounter = encounter_for(current_user, encounter_id)
    return render_template("thanks/error.html", form=form, encounter=encounter), 422
