"""aiosmtpd's Mailbox, which a file beside the maildir (<maildir>.mode) can make refuse for now ("reject"),
refuse for good ("refuse") or answer slowly ("slow SECONDS"), so tests can break a real SMTP server and mend it."""
import asyncio
from pathlib import Path

from aiosmtpd.handlers import Mailbox


class BehavingMailbox(Mailbox):
    def __init__(self, mail_dir):
        super().__init__(mail_dir)
        self.mode_file = Path(str(mail_dir) + ".mode")

    def mode(self):
        try:
            return self.mode_file.read_text().split() or ["accept"]
        except FileNotFoundError:
            return ["accept"]

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode[0] == "reject":
            return "451 4.3.0 Try again later"
        if mode[0] == "refuse":
            return "550 5.1.1 No such mailbox here"
        if mode[0] == "slow":
            await asyncio.sleep(float(mode[1]))
        return await super().handle_DATA(server, session, envelope)
