"""E-mail over SMTP (aiosmtplib): the invitation e-mails, in the organization's language."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from domain.accounts.model import Role
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


class SmtpMailer:
    """Sends through the configured SMTP server; without one, `configured` is False and the
    inviter copies the link instead."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @property
    def configured(self) -> bool:
        return bool(self._settings.smtp_host)

    async def send_invitation(self, mail: InvitationMail) -> None:
        settings = self._settings
        if not settings.smtp_host or not settings.smtp_from:
            raise MailUnavailable("no mail server is configured")
        try:
            await aiosmtplib.send(
                invitation_message(mail, settings.smtp_from),
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
