"""Demo data of the customers' complaint pages: the demo portal user (login
``portal``, Joel Willis) has two complaints at the Downtown store, one being
handled with a conversation, one resolved and waiting for their confirmation;
so /my/complaints and the complaint page are not empty. Through the workflow
actions, without mails to the customer."""

from odoo import fields


def create_demo_portal_complaints(env):
    partner = env.ref("base.partner_demo_portal", raise_if_not_found=False)
    store = env.ref("store_service_crm.crm_team_store_downtown", raise_if_not_found=False)
    if not partner or not store:
        return
    Complaint = env["store.complaint"].with_context(store_complaint_no_customer_mail=True)
    if Complaint.search_count([("partner_id", "=", partner.id)], limit=1):
        return
    handler = (store.member_ids | store.user_id).sorted("id")[:1]
    category = env.ref("store_service_crm.complaint_category_delivery")
    quality = env.ref("store_service_crm.complaint_category_product_quality")
    base = {"partner_id": partner.id, "team_id": store.id, "user_id": handler.id}
    handled, resolved = Complaint.create(
        [
            dict(
                base,
                category_id=category.id,
                channel="online",
                description="The washing machine was delivered with a dented door.",
                customer_request="Replace the door",
            ),
            dict(
                base,
                category_id=quality.id,
                channel="store",
                description="The new fridge is noisy at night.",
                customer_request="Repair",
            ),
        ]
    )
    (handled | resolved).action_assign()
    (handled | resolved).action_start()
    handled.promised_date = fields.Date.add(fields.Date.today(), days=3)
    handled.message_post(
        body=env._("We ordered a new door; the technician will bring it on the promised date."),
        author_id=handler.partner_id.id,
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
    )
    handled.message_post(
        body=env._("Thank you. Please call me an hour before coming."),
        author_id=partner.id,
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
    )
    resolved.write(
        {
            "responsibility": "product",
            "root_cause": "A loose fan bracket",
            "resolution_type": "repair",
            "resolution_note": "The technician fixed the fan bracket.",
        }
    )
    resolved.action_resolve()
    for complaint in handled | resolved:
        complaint._portal_ensure_token()
