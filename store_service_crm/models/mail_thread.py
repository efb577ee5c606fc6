# pylint: disable=no-member
# (pylint cannot see the mail.thread and crm.team members of the inherited models)
from odoo import api, models


class MailThread(models.AbstractModel):
    """An automatic email (an out-of-office reply, a list's bulk mail) never opens a
    complaint: answering it with an acknowledgement would start a mail loop between
    two robots. It may still thread onto an existing complaint (a reply)."""

    _inherit = "mail.thread"

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        routes = super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )
        if not self._store_service_is_auto_submitted(message):
            return routes
        return [route for route in routes if route[0] != "store.complaint" or route[1]]

    @api.model
    def _store_service_is_auto_submitted(self, message):
        auto = (message.get("Auto-Submitted") or "no").strip().lower()
        precedence = (message.get("Precedence") or "").strip().lower()
        return (
            auto != "no"
            or bool(message.get("X-Autoreply") or message.get("X-Autorespond"))
            or precedence in ("bulk", "auto_reply", "junk", "list")
        )
