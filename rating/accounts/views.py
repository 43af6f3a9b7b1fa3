from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from rating.accounts import services
from rating.accounts.forms import PasswordForm, RegisterForm, SettingsForm, SignInForm, StaffForm
from rating.accounts.permissions import can_manage_staff, is_business_member
from rating.errors import Invalid
from rating.extensions import limiter
from rating.web import require, safe_next, show_invalid

bp = Blueprint("accounts", __name__)

BUSINESS_FIELDS = {
    "business.name": "business_name",
    "business.category": "category",
    "business.city": "city",
    "business.description": "description",
}


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        data = services.Registration(
            kind=form.kind.data,
            email=form.email.data,
            password=form.password.data,
            display_name=form.display_name.data,
            handle=form.handle.data,
            business=services.BusinessDetails(
                name=form.business_name.data or "",
                category=form.category.data or "",
                city=form.city.data or "",
                description=form.description.data or "",
            ),
        )
        try:
            user = services.register(data)
        except Invalid as error:
            show_invalid(form, error, BUSINESS_FIELDS)
        else:
            login_user(user)
            flash(_("Welcome to Reciproca, %(name)s!", name=user.display_name), "success")
            return redirect(url_for("pages.home"))
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            flash(_("You are signed in."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("pages.home")))
        form.form_errors.append(_("Wrong email or password."))
    return render_template("accounts/sign_in.html", form=form), 422 if form.errors else 200


@bp.post("/sign-out")
def sign_out():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("pages.home"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user if request.method == "GET" else None)
    if request.method == "GET":
        form.language.data = current_user.language or ""
    if form.validate_on_submit():
        try:
            services.update_settings(
                current_user, form.display_name.data, form.language.data or None
            )
        except Invalid as error:
            show_invalid(form, error)
        else:
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("accounts.settings"))
    status = 422 if form.errors else 200
    return render_template(
        "accounts/settings.html", form=form, password_form=PasswordForm()
    ), status


@bp.post("/settings/password")
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except Invalid as error:
            show_invalid(form, error)
        else:
            # keep this session alive under the new session version
            login_user(current_user._get_current_object())
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.settings"))
    settings_form = SettingsForm(obj=current_user)
    settings_form.language.data = current_user.language or ""
    return (
        render_template("accounts/settings.html", form=settings_form, password_form=form),
        422,
    )


@bp.route("/business/staff", methods=["GET", "POST"])
@login_required
def staff():
    require(can_manage_staff(current_user), visible=is_business_member(current_user))
    form = StaffForm()
    if form.validate_on_submit():
        try:
            member = services.add_staff(
                current_user,
                form.email.data,
                form.password.data,
                form.display_name.data,
                form.handle.data,
            )
        except Invalid as error:
            show_invalid(form, error)
        else:
            flash(_("%(name)s can now act for your business.", name=member.display_name), "success")
            return redirect(url_for("accounts.staff"))
    members = services.staff_of(current_user.business_id)
    status = 422 if form.errors else 200
    return render_template("accounts/staff.html", form=form, members=members), status
