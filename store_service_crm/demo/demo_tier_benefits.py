"""Demo data of the tier benefits (issue 17): the Gold and VIP tiers give a pricelist."""

from odoo import Command


def demo_tier_pricelists(env):
    """Give the Gold and VIP tiers a members' pricelist (5 % and 10 % off everything):
    their customers get it at once, and with every upgrade from now on."""
    Pricelist = env["product.pricelist"]
    # Odoo gives a customer without a pricelist of their own the first pricelist of
    # their company (by sequence): without a default one, every new customer would get
    # the members' discount. Odoo's default pricelist first, the members' ones last.
    company = env.company
    if not Pricelist.search([("company_id", "in", [False, company.id])], limit=1):
        Pricelist.create(company._get_default_pricelist_vals())
    for xmlid, name, percent in (
        ("store_service_crm.loyalty_tier_gold", "Gold Members", 5.0),
        ("store_service_crm.loyalty_tier_vip", "VIP Members", 10.0),
    ):
        tier = env.ref(xmlid, raise_if_not_found=False)
        if not tier or tier.pricelist_id:
            continue
        tier.pricelist_id = Pricelist.create(
            {
                "name": name,
                "sequence": 100,
                "company_id": tier.company_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": percent,
                        }
                    )
                ],
            }
        )
