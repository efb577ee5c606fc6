# pylint: disable=no-member
"""A return visit with a CSAT of 2 or less about a person (the complaint's staff
involved, else the salesperson of the order) plans a coaching activity for the
store leader, on the complaint or the order (the visit itself is done)."""

from odoo import models

from .store_complaint_staff import schedule_coaching

LOW_CSAT = 2


class StoreReturnVisit(models.Model):
    _inherit = "store.return.visit"  # pylint: disable=consider-merging-classes-inherited

    def _after_scored(self):
        res = super()._after_scored()
        unhappy = self.filtered(lambda v: v.state == "done" and 0 < v.csat_score <= LOW_CSAT)
        schedule_coaching(
            unhappy,
            lambda v: v._staff_involved(),
            lambda v: v.complaint_id if v.complaint_id.involved_person else v.sale_order_id,
        )
        return res

    def _staff_involved(self):
        """The person the visit's answer is about."""
        self.ensure_one()
        return self.complaint_id.involved_person or self.sale_order_id.user_id.name
