from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    lost_reason_id = fields.Many2one(
        "store.lost.reason",
        string="Reason for Leaving",
        tracking=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Why the customer stopped coming or is about to (moved, competitor, price, "
        "quality, service...): set here or recorded by a care visit.",
    )
    lost_reason_date = fields.Date(
        string="Reason Recorded On",
        compute="_compute_lost_reason_date",
        store=True,
        help="Day the reason for leaving was last set.",
    )

    @api.depends("lost_reason_id")
    def _compute_lost_reason_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.lost_reason_date = today if partner.lost_reason_id else False
