from odoo.addons.store_service_crm.tests.common import ComplaintCase  # pylint: disable=import-error


class PosCase(ComplaintCase):
    """ComplaintCase (a store, a clerk, a manager, a customer with a confirmed sale
    order) plus a point of sale of that store with an open session."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_store = cls.env["crm.team"].create(
            {"name": "Other Store (POS)", "is_store": True, "company_id": cls.company.id}
        )
        journal = cls.env["account.journal"].create(
            {"name": "POS Cash (test)", "type": "cash", "code": "TPOS"}
        )
        cls.cash = cls.env["pos.payment.method"].create(
            {"name": "Cash (test)", "journal_id": journal.id, "is_cash_count": True}
        )
        cls.pos_config = cls.env["pos.config"].create(
            {
                "name": "Store POS (test)",
                "crm_team_id": cls.store.id,
                "payment_method_ids": [(6, 0, cls.cash.ids)],
            }
        )
        cls.session = (
            cls.env["pos.session"]
            .with_context(onboarding_creation=True)
            .create({"config_id": cls.pos_config.id, "user_id": cls.env.uid})
        )
        cls.product.available_in_pos = True
        # the store clerk works at the till too
        cls.pos_user_group = cls.env.ref("point_of_sale.group_pos_user")
        cls.clerk.groups_id = [(4, cls.pos_user_group.id)]

    @classmethod
    def _pos_order(cls, partner, amount=100.0, tax=0.0, paid=True, product=None):
        """A POS order of ``partner`` (total ``amount``, of which ``tax``), paid through
        the POS's own action when ``paid``."""
        product = product or cls.product
        order = cls.env["pos.order"].create(
            {
                "session_id": cls.session.id,
                "partner_id": partner.id if partner else False,
                "amount_total": amount,
                "amount_tax": tax,
                "amount_paid": 0.0,
                "amount_return": 0.0,
                "lines": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "full_product_name": product.name,
                            "qty": 1 if amount >= 0 else -1,
                            "price_unit": abs(amount - tax),
                            "price_subtotal": amount - tax,
                            "price_subtotal_incl": amount,
                        },
                    )
                ],
            }
        )
        if paid:
            order.add_payment(
                {"pos_order_id": order.id, "payment_method_id": cls.cash.id, "amount": amount}
            )
            order.action_pos_order_paid()
        return order
