from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from rating.accounts import recovery, services, verification
from rating.accounts.forms import (
    ForgotPasswordForm,
    PasswordForm,
    RegisterForm,
    ResetPasswordForm,
    SettingsForm,
    SignInForm,
    StaffForm,
)
from rating.accounts.permissions import can_manage_staff, is_business_member
from rating.errors import Invalid
from rating.extensions import limiter
from rating.security.limits import address_key, configured, email_key, writer_key
from rating.security.sessions import renew_session
from rating.web import require, safe_next, show_invalid

bp = Blueprint("accounts", __name__)

BUSINESS_FIELDS = {
    "business.name": "business_name",
    "business.category": "category",
    "business.city": "city",
    "business.description": "description",
}


def _sign_in_failed(form) -> None:
    cfg = current_app.config
    form.form_errors.append(_("Wrong email or password."))
    # Said after every failure, so it tells nothing about whether this account is locked.
    form.form_errors.append(
        _(
            "After %(n)d failed attempts, signing in to an account is paused for "
            "%(minutes)d minutes. You can also reset your password.",
            n=cfg["SIGN_IN_MAX_FAILURES"],
            minutes=cfg["SIGN_IN_LOCK_SECONDS"] // 60,
        )
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(configured("REGISTER_RATE_LIMIT"), key_func=address_key, methods=["POST"])
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
            renew_session()
            login_user(user)
            flash(_("Welcome to Reciproca, %(name)s!", name=user.display_name), "success")
            if verification.send_verification_email(user):
                flash(_("We have sent you a link to verify your email address."), "info")
            else:
                flash(
                    _("We could not send the verification email; send it again from Settings."),
                    "warning",
                )
            return redirect(url_for("pages.home"))
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(configured("SIGN_IN_RATE_LIMIT"), key_func=address_key, methods=["POST"])
@limiter.limit(configured("SIGN_IN_ACCOUNT_RATE_LIMIT"), key_func=email_key, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            renew_session()
            login_user(user)
            flash(_("You are signed in."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("pages.home")))
        _sign_in_failed(form)
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
            verification.send_verification_email(member)
            flash(_("%(name)s can now act for your business.", name=member.display_name), "success")
            return redirect(url_for("accounts.staff"))
    members = services.staff_of(current_user.business_id)
    status = 422 if form.errors else 200
    return render_template("accounts/staff.html", form=form, members=members), status


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(configured("PASSWORD_RESET_RATE_LIMIT"), key_func=address_key, methods=["POST"])
@limiter.limit(configured("PASSWORD_RESET_RATE_LIMIT"), key_func=email_key, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        recovery.request_password_reset(form.email.data)
        minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
        flash(
            _(
                "If an account uses %(email)s, we have emailed it a link to choose a new "
                "password. The link works once, within %(minutes)d minutes.",
                email=form.email.data.strip(),
                minutes=minutes,
            ),
            "info",
        )
        return redirect(url_for("accounts.sign_in"))
    status = 422 if form.errors else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        recovery.user_for_reset_token(token)
    except Invalid as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(token, form.new_password.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            flash(_("Your password is changed. Sign in with your new password."), "success")
            return redirect(url_for("accounts.sign_in"))
    page = render_template("accounts/reset_password.html", form=form)
    response = make_response(page, 422 if form.errors else 200)
    response.headers["Cache-Control"] = "no-store"  # the address holds the token
    return response


@bp.get("/verify-email/<token>")
def verify_email(token):
    try:
        verification.verify_email(token)
    except Invalid as error:
        flash(error.message, "error")
    else:
        flash(_("Thank you: your email address is verified."), "success")
    return redirect(url_for("accounts.settings" if current_user.is_authenticated else "pages.home"))


@bp.post("/settings/verify-email")
@login_required
@limiter.limit(configured("VERIFICATION_RATE_LIMIT"), key_func=writer_key)
def resend_verification():
    if verification.is_verified(current_user):
        flash(_("Your email address is already verified."), "info")
    elif verification.send_verification_email(current_user):
        flash(_("We have sent a new link to %(email)s.", email=current_user.email), "success")
    else:
        flash(_("We could not send the email just now. Please try again later."), "error")
    return redirect(url_for("accounts.settings"))
