"""E-mail over SMTP (aiosmtplib): invitations and notification digests, in the
organization's language."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import aiosmtplib

from domain.accounts.model import Role
from domain.notifications.digests import EmailDigest
from domain.team.invitations import InvitationMail, MailUnavailable
from web.settings import Settings, SmtpSecurity

ROLE_NAMES = {
    "en": {
        Role.OWNER: "an owner",
        Role.ADMIN: "an administrator",
        Role.SUPERVISOR: "a supervisor",
        Role.AGENT: "an agent",
    },
    "pt-BR": {
        Role.OWNER: "proprietário(a)",
        Role.ADMIN: "administrador(a)",
        Role.SUPERVISOR: "supervisor(a)",
        Role.AGENT: "atendente",
    },
}

TEXTS = {
    "en": (
        "{inviter} invited you to {organization} on PyTake",
        "{inviter} invited you to join {organization} on PyTake as {role}.\n\n"
        "Open this link to choose your name and password (it works once, until {expires}):\n"
        "{link}\n\n"
        "If you did not expect this invitation, ignore this e-mail.\n",
    ),
    "pt-BR": (
        "{inviter} convidou você para {organization} no PyTake",
        "{inviter} convidou você para entrar em {organization} no PyTake como {role}.\n\n"
        "Abra este link para escolher seu nome e sua senha (ele funciona uma vez, até "
        "{expires}):\n{link}\n\n"
        "Se você não esperava este convite, ignore este e-mail.\n",
    ),
}


def invitation_message(mail: InvitationMail, sender: str) -> EmailMessage:
    language = mail.language if mail.language in TEXTS else "en"
    subject, body = TEXTS[language]
    values = {
        "inviter": mail.inviter,
        "organization": mail.organization,
        "role": ROLE_NAMES[language][mail.role],
        "link": mail.link,
        "expires": mail.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
    }
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = subject.format(**values)
    message.set_content(body.format(**values))
    return message


DIGEST_TEXTS = {
    "en": {
        "subject": "{count} unread notification(s) in {organization}",
        "greeting": "Hello {person},\n\nWhile you were away from PyTake:\n",
        "open": "\nOpen PyTake: {link}\n",
        "footer": "\nYou receive this digest because of your notification preferences in PyTake.\n",
    },
    "pt-BR": {
        "subject": "{count} notificação(ões) não lida(s) em {organization}",
        "greeting": "Olá, {person},\n\nEnquanto você estava fora do PyTake:\n",
        "open": "\nAbrir o PyTake: {link}\n",
        "footer": "\nVocê recebe este resumo pelas suas preferências de notificação no PyTake.\n",
    },
}


def digest_message(digest: EmailDigest, sender: str) -> EmailMessage:
    texts = DIGEST_TEXTS.get(digest.language, DIGEST_TEXTS["en"])
    lines = [
        f"- {line.at:%d/%m %H:%M} {line.subject}" + (f"\n  {line.link}" if line.link else "")
        for line in digest.lines
    ]
    body = texts["greeting"].format(person=digest.person) + "\n".join(lines) + "\n"
    if digest.link:
        body += texts["open"].format(link=digest.link)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = digest.to
    message["Subject"] = texts["subject"].format(
        count=len(digest.lines), organization=digest.organization
    )
    message.set_content(body + texts["footer"])
    return message


class SmtpMailer:
    """Sends through the configured SMTP server; without one, `configured` is False and the
    inviter copies the link instead."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @property
    def configured(self) -> bool:
        return bool(self._settings.smtp_host)

    async def send_invitation(self, mail: InvitationMail) -> None:
        await self._send(lambda sender: invitation_message(mail, sender))

    async def send_digest(self, digest: EmailDigest) -> None:
        await self._send(lambda sender: digest_message(digest, sender))

    async def _send(self, message: Callable[[str], EmailMessage]) -> None:
        settings = self._settings
        if not settings.smtp_host or not settings.smtp_from:
            raise MailUnavailable("no mail server is configured")
        try:
            await aiosmtplib.send(
                message(settings.smtp_from),
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username,
                password=settings.smtp_password,
                use_tls=settings.smtp_security is SmtpSecurity.TLS,
                start_tls=settings.smtp_security is SmtpSecurity.STARTTLS,
                timeout=settings.smtp_timeout_seconds,
            )
        except aiosmtplib.SMTPResponseException as refused:
            raise MailUnavailable(
                f"the mail server refused the e-mail ({refused.code} {refused.message})"
            ) from refused
        except (aiosmtplib.SMTPException, OSError) as failed:
            raise MailUnavailable(
                f"the mail server at {settings.smtp_host}:{settings.smtp_port} could not be "
                f"reached ({failed})"
            ) from failed
