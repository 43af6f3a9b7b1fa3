"""Reciproca: two-sided ratings between businesses and their customers."""

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm import configure_mappers

from config import Config, Production, config_from_env, engine_options
from rating import clock
from rating.database import ping_after_idle
from rating.errors import DomainError, NotFound
from rating.extensions import babel, cache, csrf, db, limiter, login_manager, migrate
from rating.i18n import choose_language_first, install_template_gettext, select_locale
from rating.security.headers import register_security_headers
from rating.security.limits import register_rate_limits


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build the application from a config class (default: chosen by APP_ENV)."""
    config = config or config_from_env()
    if config is Production or issubclass(config, Production):
        config.check()
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.from_object(config)
    app.config.update(overrides)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_rate_limits(app)
    return app


def register_extensions(app: Flask) -> None:
    import rating.models  # noqa: F401  (registers every table on the metadata)
    from rating.accounts.services import load_session_user

    # Mappers are set up now, not by whichever request first uses a model: a row built
    # by as_loaded (a cached signed-in user, often a new worker's first request) would
    # otherwise meet attributes not yet instrumented.
    configure_mappers()
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_after_idle(engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
    cache.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    app.before_request(choose_language_first)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_session_user)


def register_blueprints(app: Flask) -> None:
    from rating.accounts.views import bp as accounts_bp
    from rating.api.setup import register_api
    from rating.encounters.views import bp as encounters_bp
    from rating.moderation.views import bp as moderation_bp
    from rating.notifications.views import bp as notifications_bp
    from rating.pages.views import bp as pages_bp
    from rating.privacy.views import bp as privacy_bp
    from rating.profiles.views import bp as profiles_bp
    from rating.reviews.views import bp as reviews_bp
    from rating.web import RowIdConverter, guard_page_request

    app.url_map.converters["int"] = RowIdConverter  # before any route is added
    app.before_request(guard_page_request)
    for blueprint in (
        pages_bp,
        accounts_bp,
        encounters_bp,
        reviews_bp,
        notifications_bp,
        profiles_bp,
        moderation_bp,
        privacy_bp,
    ):
        app.register_blueprint(blueprint)
    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    messages = {
        400: _l("The request could not be understood."),
        403: _l("You are not allowed to do that."),
        404: _l("This page does not exist."),
        405: _l("This action is not available here."),
        409: _l("This conflicts with the current state; reload the page and try again."),
        413: _l("What you sent is too large."),
        422: _l("Some of what you sent is not valid."),
        429: _l("Too many attempts. Please wait a moment and try again."),
        500: _l("Something went wrong on our side. Nothing you sent was half-saved."),
    }

    def render_error(error):
        code = getattr(error, "code", 500) or 500
        if code == 500:
            db.session.rollback()
        return render_template("errors/error.html", code=code, message=messages[code]), code

    for code in messages:
        app.register_error_handler(code, render_error)

    @app.errorhandler(DomainError)
    def domain_error(error):
        # A refused action: its own status and message. NotFound says nothing more than 404.
        message = messages[404] if isinstance(error, NotFound) else error.message
        db.session.rollback()
        return render_template("errors/error.html", code=error.status, message=message), (
            error.status
        )

    from rating.web import register_database_errors

    register_database_errors(app)  # 503 "try again" while the database is out of reach

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _l("This form has expired or was sent from elsewhere. Please try again.")
        return render_template("errors/error.html", code=400, message=message), 400


def register_commands(app: Flask) -> None:
    from rating.accounts.commands import users_cli
    from rating.backup.commands import register_backup_commands
    from rating.reviews.commands import reveal_due_command
    from rating.seed.commands import seed_cli

    app.cli.add_command(users_cli)
    register_backup_commands(app)
    app.cli.add_command(seed_cli)
    app.cli.add_command(reveal_due_command)


def register_template_helpers(app: Flask) -> None:
    from rating.accounts import permissions
    from rating.businesses.categories import category_label
    from rating.encounters import labels as encounter_labels
    from rating.encounters.permissions import acting_side
    from rating.moderation import forms as moderation_forms
    from rating.profiles import formatting
    from rating.reviews import labels as review_labels

    app.jinja_env.globals.update(
        is_admin=permissions.is_admin,
        can_manage_staff=permissions.can_manage_staff,
        acting_side=acting_side,
        category_label=category_label,
        status_label=encounter_labels.status_label,
        review_state_label=encounter_labels.review_state_label,
        time_left=encounter_labels.time_left,
        dimension_label=review_labels.dimension_label,
        level_label=review_labels.LEVELS.get,
        verdict_short=review_labels.VERDICT_SHORT,
        dimension_namer=review_labels.dimension_namer,
        flag_reasons=moderation_forms.REASONS,
        item_kind_label=moderation_forms.item_kind_label,
        moderation_label=moderation_forms.moderation_label,
        moderation_labels=moderation_forms.moderation_labels,
        fmt_score=formatting.score,
        fmt_percent=formatting.percent,
        fmt_within=formatting.within,
        now=clock.now,
    )

    @app.context_processor
    def unread_notifications():
        from flask_login import current_user

        from rating.notifications.services import unread_count

        if current_user.is_authenticated:
            return {"unread_notifications": unread_count(current_user)}
        return {"unread_notifications": 0}

    @app.context_processor
    def current_language():
        from flask_babel import get_locale

        return {"lang": str(get_locale()), "current_path": request.full_path.rstrip("?")}
