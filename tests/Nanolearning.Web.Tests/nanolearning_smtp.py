"""aiosmtpd's Mailbox, which a file beside the maildir (<maildir>.mode) can make refuse for now ("reject"),
refuse for good ("refuse"), refuse every message as a relay or policy rule does ("deny": 554 5.7.1), refuse one
recipient as an unknown mailbox ("unknown ADDRESS": 550 5.1.1 to RCPT TO), answer slowly ("slow SECONDS"), or store
the message and then not answer for a while ("store-hang SECONDS", as a server that is cut off after storing), so
tests can break a real SMTP server and mend it."""
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

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        mode = self.mode()
        if mode[0] == "unknown" and address.lower() in (a.lower() for a in mode[1:]):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode[0] == "deny":
            return "554 5.7.1 Relay access denied"
        if mode[0] == "store-hang":
            answer = await super().handle_DATA(server, session, envelope)
            await asyncio.sleep(float(mode[1]))
            return answer
        if mode[0] == "reject":
            return "451 4.3.0 Try again later"
        if mode[0] == "refuse":
            return "550 5.1.1 No such mailbox here"
        if mode[0] == "slow":
            await asyncio.sleep(float(mode[1]))
        return await super().handle_DATA(server, session, envelope)
