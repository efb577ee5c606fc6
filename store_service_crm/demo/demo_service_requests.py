"""Demo data for request types, waiting for the customer and merged duplicates
(called once by the demo chain, after its complaints are through the workflow)."""

from odoo import models

from ..models.store_service_kpi_definitions import RETURN_TYPES

# every n-th demo complaint (by id) becomes a request of another type
TYPE_SPREAD = (
    (7, "store_service_crm.request_type_repair"),
    (11, "store_service_crm.request_type_installation"),
    (13, "store_service_crm.request_type_question"),
)


class CrmTeam(models.Model):
    _inherit = "crm.team"  # pylint: disable=consider-merging-classes-inherited

    def _store_service_demo_service_requests(self):
        """Demo data only (called by the demo chain)."""
        env = self.env
        complaints = env["store.complaint"].search([], order="id")
        _demo_request_types(env, complaints)
        _demo_waiting(env, complaints)
        _demo_merged_pair(env, complaints)


def _demo_request_types(env, complaints):
    """Spread the types: returns for the complaints resolved by a refund, an exchange
    or a replacement (every other one), then repairs, installations and questions."""
    typed = env["store.complaint"]
    returns = complaints.filtered(lambda c: c.resolution_type in RETURN_TYPES)[::2]
    returns.write({"request_type_id": env.ref("store_service_crm.request_type_return").id})
    typed |= returns
    for step, xmlid in TYPE_SPREAD:
        part = complaints.filtered(lambda c, s=step: c.id % s == 0) - typed
        part.write({"request_type_id": env.ref(xmlid).id})
        typed |= part


def _demo_waiting(env, complaints):
    """One complaint in progress waits for the customer's photos."""
    waiting = complaints.filtered(lambda c: c.state == "in_progress" and not c.is_overdue)[:1]
    waiting = waiting or complaints.filtered(lambda c: c.state == "in_progress")[:1]
    lang_env = env(context=dict(env.context, lang=env.company.partner_id.lang))
    waiting.action_put_on_hold(
        reason=lang_env._("Waiting for the customer's photos of the damage.")
    )


def _demo_merged_pair(env, complaints):
    """The customer of an open complaint about an order calls again: the second
    registration is merged into the first one."""
    first = complaints.filtered(
        lambda c: c.state in ("assigned", "in_progress") and c.sale_order_id and not c.on_hold
    )[:1]
    if not first:
        return
    lang_env = env(context=dict(env.context, lang=env.company.partner_id.lang))
    second = (
        env["store.complaint"]
        .with_context(store_complaint_no_customer_mail=True)
        .create(
            {
                "partner_id": first.partner_id.id,
                "sale_order_id": first.sale_order_id.id,
                "product_id": first.product_id.id,
                "team_id": first.team_id.id,
                "category_id": first.category_id.id,
                "request_type_id": first.request_type_id.id,
                "severity": first.severity,
                "channel": "phone",
                "description": lang_env._("The customer called again about the same problem."),
            }
        )
    )
    second.message_post(
        body=lang_env._("Customer called the hotline: still no news from the store."),
        message_type="comment",
        subtype_xmlid="mail.mt_note",
    )
    first.action_merge([second.id])
