# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""The complaint's order checks (customer, product) are one core helper
(``store.complaint._check_complaint_order``) for sale orders and POS orders."""

from odoo.exceptions import ValidationError

from .common import PosCase


class TestPosComplaintOrder(PosCase):
    """The complaint's order checks are one core helper for sale and POS orders."""

    def test_pos_order_of_another_customer_refused_on_write_too(self):
        pos_order = self._pos_order(self.customer, amount=80.0)
        complaint = self._complaint(partner_id=self.customer.id, pos_order_id=pos_order.id)
        with self.assertRaisesRegex(ValidationError, "another customer"):
            complaint.partner_id = self.customer_no_email

    def test_product_of_the_pos_order_accepted_other_refused(self):
        pos_order = self._pos_order(self.customer, amount=80.0)
        complaint = self._complaint(
            partner_id=self.customer.id, pos_order_id=pos_order.id, product_id=self.product.id
        )
        self.assertEqual(complaint.product_id, self.product)
        with self.assertRaisesRegex(ValidationError, "is not part of the order"):
            complaint.product_id = self.other_product

    def test_sale_order_uses_the_same_check(self):
        with self.assertRaisesRegex(ValidationError, "is not part of the order"):
            self._complaint(
                partner_id=self.customer.id,
                sale_order_id=self.order.id,
                product_id=self.other_product.id,
            )
        with self.assertRaisesRegex(ValidationError, "another customer"):
            self._complaint(partner_id=self.customer_no_email.id, sale_order_id=self.order.id)
