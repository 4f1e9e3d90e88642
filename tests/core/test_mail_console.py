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
