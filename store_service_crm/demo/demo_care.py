"""Demo of the care programmes and the product defect alarm (issue 19).

Called once by the demo chain (``DemoChain.build``) after the loyalty figures are
computed: activates the shipped quarterly check, adds a greeting date (the store
anniversary) and a greeting rule for A customers on the day one of them is due for
the check, so that the two calls merge into one; plans the visits of both rules;
then adds complaints so that one product crosses the defect threshold and raises
its alarm.
"""

from datetime import timedelta

from odoo import Command, fields

from ..models.store_return_visit_rule_care import CARE_EPOCH

# complaints about the demo tiles by the box (64 boxes sold over the window, one
# complaint already): 4 / 64 = 6.25 %, over the default 5 %
DEFECT_PRODUCT = "store_service_crm.demo_product_tile"
DEFECT_COMPLAINTS = 3


def create_demo_care(env, ctx):
    """Care programmes and a defect alarm on the demo chain; ``ctx`` of the chain."""
    today = ctx["today"]
    Partner = env["res.partner"]
    customers = Partner.search(
        [("ref", "=like", "SSC-DEMO-%"), ("customer_value_class", "=", "A"),
         ("customer_lifecycle", "in", ["new", "active", "at_risk"])]
    )  # fmt: skip
    care = env.ref("store_service_crm.return_visit_rule_care_quarterly")
    if not customers:
        return
    # the first A customer due for the quarterly check: the anniversary falls that day
    epoch = fields.Date.to_date(CARE_EPOCH)
    interval = care.interval_days

    def care_day(partner):
        offset = (partner.id - (today - epoch).days) % interval
        return today + timedelta(days=offset)

    anniversary = min(care_day(partner) for partner in customers)
    horizon = max(30, (anniversary - today).days)
    care.write({"active": True, "horizon_days": horizon})
    greeting_date = env["store.greeting.date"].create(
        {"name": "Store anniversary", "month": anniversary.month, "day": anniversary.day}
    )
    greeting = env["store.return.visit.rule"].create(
        {
            "name": "Store anniversary greeting for A customers",
            "sequence": 46,
            "trigger": "greeting",
            "delay_days": 0,
            "horizon_days": horizon,
            "channel": "phone",
            "assign_to": "salesperson",
            "company_id": False,
            "value_class_ids": [
                Command.set(env.ref("store_service_crm.customer_value_class_a").ids)
            ],
            "greeting_date_ids": [Command.set(greeting_date.ids)],
        }
    )
    # the demo's own names in Chinese too (the shipped records get theirs from the .po)
    if env["res.lang"].search_count([("code", "=", "zh_CN")]):
        greeting_date.update_field_translations("name", {"zh_CN": "店庆"})
        greeting.update_field_translations("name", {"zh_CN": "A 类客户店庆问候"})
    (care | greeting).generate_visits()
    _demo_defect(env, ctx, customers)


def _demo_defect(env, ctx, customers):
    """Complaints about the tiles from several stores: their defect rate crosses the
    threshold; the alarm cron gives the service manager one to-do."""
    product = env.ref(DEFECT_PRODUCT)
    category = env.ref("store_service_crm.complaint_category_product_quality", False)
    stores = [team for team, _users in ctx["stores"]]
    Complaint = env["store.complaint"]
    for index in range(DEFECT_COMPLAINTS):
        Complaint.create(
            {
                "partner_id": customers[index % len(customers)].id,
                "team_id": stores[index % len(stores)].id,
                "product_id": product.id,
                "channel": "store",
                "category_id": category.id if category else False,
                "severity": "medium",
                "description": "Several tiles of the box are cracked and the shade differs "
                "from the first boxes.",
                "customer_request": "Replace the boxes with tiles of one batch.",
            }
        )
    env["store.product.defect.report"]._cron_defect_alarm()
