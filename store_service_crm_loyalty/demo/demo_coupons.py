"""Demo data of the bridge: the Gold tier's programmes and a complaint compensated
with a voucher (called by demo/loyalty_demo.xml)."""

from odoo import Command, api, models


class StoreComplaint(models.Model):
    # The demo file's entry point on an existing model: no model of its own.
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _store_service_loyalty_demo(self):
        voucher = self.env.ref("store_service_crm_loyalty.loyalty_program_compensation")
        gold = self.env.ref("store_service_crm.loyalty_tier_gold", raise_if_not_found=False)
        vip = self.env.ref("store_service_crm.loyalty_tier_vip", raise_if_not_found=False)
        tiers = (gold | vip).filtered(lambda t: not t.loyalty_program_id)
        if tiers:
            points = self.env["loyalty.program"].create(
                {
                    "name": self.env._("Store Points"),
                    "program_type": "loyalty",
                    "trigger": "auto",
                    "applies_on": "both",
                    "company_id": tiers[0].company_id.id,
                    "rule_ids": [
                        Command.create({"reward_point_mode": "money", "reward_point_amount": 1})
                    ],
                    "reward_ids": [Command.create({"discount": 5, "required_points": 500})],
                }
            )
            for tier, factor in ((gold, 2.0), (vip, 3.0)):
                if tier in tiers:
                    tier.write(
                        {"loyalty_program_id": points.id, "loyalty_points_multiplier": factor}
                    )
        if gold and not gold.birthday_program_id:
            gold.birthday_program_id = voucher
        complaints = self.search(
            [("state", "in", ("in_progress", "resolved")), ("partner_id", "!=", False)],
            order="id",
            limit=2,
        )
        for complaint, amount in zip(complaints, (50.0, 20.0), strict=False):
            if not complaint.compensation_card_ids:
                complaint.action_compensate_with_coupon(voucher.id, amount)
        return True
