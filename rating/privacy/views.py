import json

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from wtforms import PasswordField

from rating.errors import Invalid
from rating.formfields import at_most
from rating.forms import Form
from rating.privacy import services
from rating.web import show_invalid

bp = Blueprint("privacy", __name__)


class DeleteForm(Form):
    password = PasswordField(_l("Your password"), validators=[at_most(256)])


@bp.get("/settings/data")
@login_required
def data():
    return render_template("privacy/data.html", form=DeleteForm())


@bp.get("/settings/data/export.json")
@login_required
def export():
    body = json.dumps(services.export_user_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=reciproca-data.json"},
    )


@bp.post("/settings/delete")
@login_required
def delete():
    form = DeleteForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.password.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            logout_user()
            flash(_("Your account is deleted. Your personal data is erased."), "info")
            return redirect(url_for("pages.home"))
    return render_template("privacy/data.html", form=form), 422
