"""The console mail backend prints what a person would read: decoded text and whole links."""

from __future__ import annotations

from types import SimpleNamespace

from tisserand.mail import Mailer

LINK = "http://127.0.0.1:8000/verify/" + "a1b2c3d4e5" * 12


async def test_console_mail_is_decoded_with_whole_links(capsys):
    mailer = Mailer(SimpleNamespace(mail=SimpleNamespace(backend="console", sender="Passerelles <noreply@example.org>")))
    message = mailer.message(to="inès@example.org", subject="Confirmez votre adresse — Passerelles",
                             text=f"Bonjour Inès,\n\nConfirmez votre adresse : {LINK}\n",
                             html=f'<p>Bonjour Inès, <a href="{LINK}">confirmez</a></p>')
    await mailer.send(message)
    printed = capsys.readouterr().out
    assert "Subject: Confirmez votre adresse — Passerelles" in printed
    assert "Bonjour Inès," in printed
    assert LINK in printed  # one piece, not cut by quoted-printable or base64
    assert "Content-Transfer-Encoding" not in printed and "base64" not in printed


def test_console_prints_legacy_messages_that_plugins_build():
    """The digests plugin builds ``compat32`` messages (MIMEMultipart): the console backend
    printed nothing but a traceback for them in the demo."""
    from email.header import Header
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    from tisserand.mail import console_text

    link = "https://example.org/c/jardins/unsubscribe/" + "x" * 90
    legacy = MIMEMultipart("alternative")
    legacy["From"], legacy["To"] = "a@example.org", "b@example.org"
    legacy["Subject"] = Header("Résumé de la semaine", "utf-8")  # an encoded word, as digests write it
    legacy.attach(MIMEText(f"Bonjour Inès, {link}", "plain", "utf-8"))
    legacy.attach(MIMEText("<p>Bonjour</p>", "html", "utf-8"))
    text = console_text(legacy)
    assert "Subject: Résumé de la semaine" in text
    assert f"Bonjour Inès, {link}" in text and "<p>" not in text
