"""Handing many messages to the mail server: a small pool of SMTP connections kept open for
a whole run (connecting, greeting and quitting for every message costs more than the message).

Uses the site's ``[mail]`` settings (host, port, TLS, STARTTLS, login, timeout) and maps
failures like :class:`tisserand.mail.Mailer`: 5xx → :class:`PermanentMailError`, anything
else → :class:`TemporaryMailError`. With another backend (console, file, null), or a mailer
object given by a test, each message goes through that mailer instead.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from tisserand.mail import PermanentMailError, TemporaryMailError

# aiosmtplib (~12 MiB with the email package's policies) is imported by the first message sent
# over SMTP, not by every process that loads the plugin (issue 23).
if TYPE_CHECKING:
    import aiosmtplib

    from tisserand.plugins.digests.render import Outgoing
    from tisserand.site import Site

#: A connection is closed and opened again after this many messages (some servers limit it).
MESSAGES_PER_CONNECTION = 100


class Transport:
    """``async with Transport(site) as transport: await transport.send(outgoing)``."""

    def __init__(self, site: Site, mailer: Any = None, size: int = 4) -> None:
        self.config = site.settings.mail
        self.mailer = mailer if mailer is not None else site.mailer
        self.pooled = mailer is None and self.config.backend == "smtp"
        self.size = size
        self._idle: list[tuple[aiosmtplib.SMTP, int]] = []
        self._slots = asyncio.Semaphore(size)

    async def __aenter__(self) -> Transport:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def send(self, outgoing: Outgoing) -> None:
        """Deliver one message or raise Temporary/PermanentMailError."""
        if not self.pooled:
            await self.mailer.send(outgoing.message())
            return
        import aiosmtplib

        async with self._slots:
            smtp, used = self._idle.pop() if self._idle else (await self._connect(), 0)
            healthy = False
            try:
                await smtp.sendmail(outgoing.sender, [outgoing.recipient], outgoing.data)
                healthy = True
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
                raise TemporaryMailError(str(exc) or type(exc).__name__) from exc
            finally:
                # After any error the session's state is unknown: start the next one afresh.
                if healthy and used + 1 < MESSAGES_PER_CONNECTION and smtp.is_connected:
                    self._idle.append((smtp, used + 1))
                else:
                    await _quit(smtp)

    async def _connect(self) -> aiosmtplib.SMTP:
        import aiosmtplib

        config = self.config
        smtp = aiosmtplib.SMTP(hostname=config.host, port=config.port, use_tls=config.use_tls,
                               start_tls=config.starttls, timeout=config.timeout)
        try:
            await smtp.connect()
            if config.username:
                await smtp.login(config.username, config.password)
        except aiosmtplib.SMTPResponseException as exc:
            await _quit(smtp)
            raise TemporaryMailError(f"{exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            await _quit(smtp)
            raise TemporaryMailError(str(exc) or type(exc).__name__) from exc
        return smtp

    async def close(self) -> None:
        """Say goodbye on every open connection."""
        idle, self._idle = self._idle, []
        for smtp, _used in idle:
            await _quit(smtp)


async def _quit(smtp: aiosmtplib.SMTP) -> None:
    import aiosmtplib

    try:
        if smtp.is_connected:
            await smtp.quit()
    except (aiosmtplib.SMTPException, OSError):
        smtp.close()
