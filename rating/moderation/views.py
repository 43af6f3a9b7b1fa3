from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from rating.errors import Invalid
from rating.moderation import actions
from rating.moderation.flags import FlagInput, flag_item
from rating.moderation.forms import ACTION_LABELS, ActionForm, AppealForm, FlagForm
from rating.moderation.models import ACTIONS
from rating.web import page_number, safe_next, show_invalid

bp = Blueprint("moderation", __name__)


@bp.get("/moderation")
@login_required
def queue():
    page = page_number()
    items, total = actions.open_queue(current_user, page)
    return render_template(
        "moderation/queue.html",
        items=items,
        total=total,
        page=page,
        flag_counts=actions.flag_counts(items),
    )


@bp.get("/moderation/items/<int:item_id>")
@login_required
def item(item_id):
    view = actions.item_view(current_user, item_id)
    return render_template("moderation/item.html", view=view, form=_action_form(view))


def _action_form(view, formdata=None):
    form = ActionForm(formdata=formdata) if formdata is not None else ActionForm()
    form.action.choices = [
        (a, ACTION_LABELS[a]) for a in ACTIONS if a in actions.ALLOWED[view.item.kind]
    ]
    return form


@bp.post("/moderation/items/<int:item_id>/actions")
@login_required
def act(item_id):
    view = actions.item_view(current_user, item_id)
    form = _action_form(view, request.form)
    if form.validate_on_submit():
        try:
            actions.act(current_user, item_id, form.action.data, form.reason.data, form.days.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            flash(_("Done. The action is in the audit log."), "success")
            return redirect(url_for("moderation.queue"))
    return render_template("moderation/item.html", view=view, form=form), 422


@bp.get("/moderation/audit")
@login_required
def audit():
    page = page_number()
    action = request.args.get("action") or None
    rows, total = actions.audit_log(current_user, action, page)
    return render_template(
        "moderation/audit.html",
        rows=rows,
        total=total,
        page=page,
        action=action,
        all_actions=ACTIONS,
    )


@bp.post("/flags")
@login_required
def flag():
    form = FlagForm()
    back = safe_next(request.form.get("next"), url_for("pages.home"))
    if form.validate_on_submit():
        try:
            target_id = int(form.target_id.data or "")
        except ValueError:
            target_id = None
        data = FlagInput(
            form.target_type.data or "", target_id, form.reason.data or "", form.note.data or ""
        )
        flag_item(current_user, data)  # refusals answer with their status and message
        flash(_("Thank you. A moderator will look at it."), "success")
    return redirect(back)


@bp.route("/moderation/actions/<int:action_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(action_id):
    actions.appealable_action(current_user, action_id)
    form = AppealForm()
    if form.validate_on_submit():
        try:
            actions.appeal(current_user, action_id, form.text.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            flash(_("Your appeal is sent. A moderator will decide."), "success")
            return redirect(url_for("notifications.index"))
    status = 422 if form.errors else 200
    return render_template("moderation/appeal.html", form=form, action_id=action_id), status
