"""Outgoing mail: SMTP (aiosmtplib), console, file and null back-ends.

:class:`TemporaryMailError` means "try again later" (SMTP 4xx, connection trouble);
:class:`PermanentMailError` means the address was refused (a bounce).
"""

from __future__ import annotations

import logging
import sys
import uuid
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tisserand.settings import Settings

__all__ = ["MailError", "PermanentMailError", "TemporaryMailError", "build_message"]

log = logging.getLogger("tisserand.mail")


class MailError(Exception):
    """Mail could not be sent."""


class TemporaryMailError(MailError):
    """The server or network failed for now: retry later."""


class PermanentMailError(MailError):
    """The recipient was refused for good."""


def build_message(*, sender: str, to: str, subject: str, text: str, html: str | None = None,
                  headers: dict[str, str] | None = None) -> EmailMessage:
    """A multipart message (plain text, plus HTML when given)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip("> ") or "localhost")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def console_text(message: Message) -> str:
    """A message as a person reads it, for the console backend: the main headers decoded and
    the plain-text part (not base64, links whole), or the HTML part when there is no text.
    Works for messages of the legacy ``compat32`` policy too (plugins may build those)."""
    lines = [f"{name}: {make_header(decode_header(str(message[name])))}"
             for name in ("From", "To", "Subject") if message[name]]
    parts = {part.get_content_type(): part for part in reversed(list(message.walk()))
             if not part.is_multipart()}
    body = parts.get("text/plain") or parts.get("text/html")
    content = ""
    if body is not None:
        payload = body.get_payload(decode=True)
        if isinstance(payload, bytes):
            content = payload.decode(body.get_content_charset() or "utf-8", errors="replace")
    return "\n".join(lines) + "\n\n" + content.rstrip("\n")


class Mailer:
    """Sends :class:`EmailMessage` objects through the configured backend."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.config = settings.mail

    def message(self, *, to: str, subject: str, text: str, html: str | None = None,
                headers: dict[str, str] | None = None) -> EmailMessage:
        """Build a message from the site's sender."""
        return build_message(sender=self.config.sender, to=to, subject=subject, text=text,
                             html=html, headers=headers)

    async def send(self, message: Message) -> None:
        """Deliver one message, or raise :class:`TemporaryMailError` / :class:`PermanentMailError`.

        Any :class:`email.message.Message` goes: an :class:`EmailMessage` from :meth:`compose`,
        or a message parsed from bytes already written (as the digests plugin does)."""
        backend = self.config.backend
        if backend == "null":
            return
        if backend == "console":
            sys.stdout.write(console_text(message) + "\n" + "-" * 72 + "\n")
            sys.stdout.flush()
            return
        if backend == "file":
            folder = self.settings.path(self.config.file_dir)
            folder.mkdir(parents=True, exist_ok=True)
            path = Path(folder) / f"{uuid.uuid4().hex}.eml"
            path.write_bytes(message.as_bytes())
            return
        await self._send_smtp(message)

    async def _send_smtp(self, message: Message) -> None:
        import aiosmtplib  # ~12 MiB: loaded by the first mail sent over SMTP, not by every process

        try:
            await aiosmtplib.send(
                message,
                hostname=self.config.host,
                port=self.config.port,
                username=self.config.username or None,
                password=self.config.password or None,
                start_tls=self.config.starttls,
                use_tls=self.config.use_tls,
                timeout=self.config.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [error.code for error in exc.recipients]
            if all(500 <= code < 600 for code in codes):
                raise PermanentMailError(str(exc)) from exc
            raise TemporaryMailError(str(exc)) from exc
        except aiosmtplib.SMTPResponseException as exc:
            if 500 <= exc.code < 600:
                raise PermanentMailError(f"{exc.code} {exc.message}") from exc
            raise TemporaryMailError(f"{exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise TemporaryMailError(str(exc)) from exc
