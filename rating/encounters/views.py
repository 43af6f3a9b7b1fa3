from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from rating import pagecache
from rating.encounters import services
from rating.encounters.dashboard import build_dashboard, party_of
from rating.encounters.forms import (
    ConfirmForm,
    ContestForm,
    InvitationForm,
    RecordForm,
    RedeemForm,
)
from rating.encounters.permissions import acting_side, can_answer_record, can_review, side_of
from rating.errors import Invalid
from rating.reviews.forms import ReplyForm, review_form_for
from rating.reviews.services import reviews_for
from rating.thanks.forms import ThanksForm
from rating.thanks.services import thanks_from
from rating.web import page_number, require, show_invalid

bp = Blueprint("encounters", __name__)


@bp.get("/encounters")
@login_required
def dashboard():
    require(True, visible=acting_side(current_user) is not None)
    party = party_of(current_user)  # every member of a business sees the same page
    page = page_number()
    found = {}

    def context():
        found["board"] = build_dashboard(current_user, page)
        return {"board": found["board"]}

    parts = pagecache.fragments(
        lambda: [party],
        ("dashboard", request.host_url, request.full_path, party),
        {"body": "encounters/_dashboard_body.html"},
        context,
        good_until=lambda since: found["board"].changes_at(since),
    )
    return render_template("encounters/dashboard.html", parts=parts)


@bp.route("/encounters/new", methods=["GET", "POST"])
@login_required
def record():
    require(True, visible=acting_side(current_user) is not None)
    if request.method == "POST":
        services.require_active(current_user)  # a sanction answers before any field problem
    form = RecordForm(with_handle=request.args.get("with", ""))
    if form.validate_on_submit():
        data = services.RecordInput(
            form.with_handle.data, form.occurred_on.data, form.reference.data
        )
        try:
            encounter = services.record_encounter(current_user, data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            flash(
                _("Encounter recorded. You can review it now; it counts once confirmed."), "success"
            )
            return redirect(url_for("encounters.show", encounter_id=encounter.id))
    status = 422 if form.errors else 200
    return render_template("encounters/record.html", form=form), status


@bp.route("/invitations", methods=["GET", "POST"])
@login_required
def invitations():
    require(True, visible=acting_side(current_user) == "business")
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            invitation = services.create_invitation(current_user, form.reference.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            flash(_("Invitation created: give the code or the link to your customer."), "success")
            return redirect(url_for("encounters.invitations", new=invitation.code))
    items = services.invitations_of(current_user.business_id)
    return render_template(
        "encounters/invitations.html",
        form=form,
        invitations=items,
        new_code=request.args.get("new"),
    ), 422 if form.errors else 200


@bp.route("/invite/<code>", methods=["GET", "POST"])
@login_required
def redeem(code):
    invitation = services.find_invitation(code)
    form = RedeemForm()
    if form.validate_on_submit():
        encounter = services.redeem_invitation(current_user, code)
        flash(
            _(
                "Encounter with %(name)s confirmed. You can now review it.",
                name=encounter.business.name,
            ),
            "success",
        )
        return redirect(url_for("encounters.show", encounter_id=encounter.id))
    return render_template(
        "encounters/redeem.html",
        invitation=invitation,
        form=form,
        problem=services.invitation_problem(invitation),
        can_redeem=acting_side(current_user) == "customer",
    )


@bp.get("/encounters/<int:encounter_id>")
@login_required
def show(encounter_id):
    encounter = services.encounter_for(current_user, encounter_id)
    side = side_of(current_user, encounter)
    reviews = reviews_for(current_user, encounter)
    return render_template(
        "encounters/show.html",
        encounter=encounter,
        side=side,
        reviews=reviews,
        can_answer=can_answer_record(current_user, encounter),
        review_allowed=can_review(current_user, encounter),
        my_thanks=thanks_from(encounter.id, side),
        their_thanks=thanks_from(encounter.id, encounter.other_side(side)),
        review_form=review_form_for(side, reviews.mine),
        reply_form=ReplyForm(),
        thanks_form=ThanksForm(),
        confirm_form=ConfirmForm(),
        contest_form=ContestForm(),
    )


@bp.post("/encounters/<int:encounter_id>/confirm")
@login_required
def confirm(encounter_id):
    if ConfirmForm().validate_on_submit():
        services.confirm_encounter(current_user, encounter_id)
        flash(_("Encounter confirmed. You can now review it."), "success")
    return redirect(url_for("encounters.show", encounter_id=encounter_id))


@bp.post("/encounters/<int:encounter_id>/contest")
@login_required
def contest(encounter_id):
    encounter = services.encounter_for(current_user, encounter_id)
    form = ContestForm()
    if form.validate_on_submit():
        try:
            services.contest_encounter(current_user, encounter_id, form.reason.data)
        except Invalid as error:
            show_invalid(form, error)
    if not form.errors:
        flash(_("Thank you. A moderator will look at this encounter."), "success")
        return redirect(url_for("encounters.show", encounter_id=encounter_id))
    return render_template("encounters/contest.html", encounter=encounter, form=form), 422
