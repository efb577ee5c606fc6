from odoo import fields, models


class StoreLoyaltyTierHistory(models.Model):
    _name = "store.loyalty.tier.history"
    _description = "Loyalty Tier Change"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    old_tier_id = fields.Many2one("store.loyalty.tier", ondelete="set null")
    new_tier_id = fields.Many2one("store.loyalty.tier", ondelete="set null")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    reason = fields.Selection(
        [("auto", "Automatic"), ("manual", "Manual")], required=True, default="auto"
    )
    user_id = fields.Many2one("res.users", string="Changed By", default=lambda self: self.env.user)
    company_id = fields.Many2one("res.company", index=True)
    spend = fields.Float(string="Spend at Change", digits=(16, 2))
    order_count = fields.Integer(string="Orders at Change")
