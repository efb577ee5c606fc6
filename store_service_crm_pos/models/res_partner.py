# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    loyalty_tier_name = fields.Char(
        related="loyalty_tier_id.name",
        string="Loyalty tier name",
        help="The customer's loyalty tier, as the Point of Sale shows it.",
    )

    @api.model
    def _load_pos_data_fields(self, config_id):
        return [*super()._load_pos_data_fields(config_id), "loyalty_tier_name"]
