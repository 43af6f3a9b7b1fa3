"""Sending email: plain text through SMTP (MAIL_* settings), or printed to the console.

MAIL_BACKEND picks the way: "smtp" (production), "console" (development and tests: the
message is printed to standard output, links included).
"""

import smtplib
import ssl
import sys
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import after_this_request, current_app, has_request_context


class MailError(Exception):
    """The message could not be handed to the mail server."""


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    cfg = current_app.config
    sender = cfg["MAIL_FROM"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message. Raises MailError when the SMTP server refuses or is
    unreachable; the caller decides whether that matters to the user."""
    _dispatch(build_message(to, subject, body))


def send_after_response(
    to: str, subject: str, body: str, on_failure: Callable[[MailError], None]
) -> None:
    """Send once the answer has gone out, so that the time sending takes tells the
    visitor nothing (whether an account exists, for one). Outside a request: now.
    `on_failure` is called, inside the exception handler, if the server refuses."""
    message = build_message(to, subject, body)
    app = current_app._get_current_object()
    if not has_request_context():
        _deliver(app, message, on_failure)
        return

    @after_this_request
    def send_when_closed(response):
        response.call_on_close(lambda: _deliver(app, message, on_failure))
        return response


def _deliver(app, message: EmailMessage, on_failure: Callable[[MailError], None]) -> None:
    with app.app_context():
        try:
            _dispatch(message)
        except MailError as error:
            on_failure(error)


def _dispatch(message: EmailMessage) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "console":
        print(message.as_string(), file=sys.stdout, flush=True)
    elif backend == "smtp":
        _send_smtp(message)
    else:
        raise RuntimeError(f"MAIL_BACKEND must be 'smtp' or 'console', not {backend!r}.")


def _send_smtp(message: EmailMessage) -> None:
    cfg = current_app.config
    host, port, timeout = cfg["MAIL_SERVER"], cfg["MAIL_PORT"], cfg["MAIL_TIMEOUT"]
    context = ssl.create_default_context()
    try:
        if cfg["MAIL_USE_SSL"]:
            server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            server = smtplib.SMTP(host, port, timeout=timeout)
        with server:
            if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
                server.starttls(context=context)
            if cfg["MAIL_USERNAME"]:
                server.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            server.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(str(error)) from error
