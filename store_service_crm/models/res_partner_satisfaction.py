"""Satisfaction figures of the customer (``satisfaction_avg``)."""

from collections import defaultdict

from odoo import models


class ResPartner(models.Model):
    # One concept per file (issue 13): res.partner is extended in several files on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _compute_satisfaction_avg(self):
        """Mean of the CSAT of the done visits (customer self-ratings land there too) and
        of the customers' consumed ratings on complaints, per commercial entity.

        Computed on read over two ``_read_group`` (like ``rating.parent.mixin``), never
        stored: a visit marked done does not write (nor lock) the customer's row. In
        superuser mode, as the former stored figure was readable with the customer."""
        commercial = self.commercial_partner_id  # pylint: disable=no-member
        totals = defaultdict(lambda: [0.0, 0])
        if commercial:
            visits = (
                self.env["store.return.visit"]
                .sudo()
                ._read_group(
                    [
                        ("partner_id", "child_of", commercial.ids),
                        ("state", "=", "done"),
                        ("csat_score", ">", 0),
                    ],
                    ["partner_id"],
                    ["csat_score:sum", "__count"],
                )
            )
            ratings = (
                self.env["rating.rating"]
                .sudo()
                ._read_group(
                    [
                        ("res_model", "=", "store.complaint"),
                        ("consumed", "=", True),
                        ("rating", ">", 0),
                        ("partner_id", "child_of", commercial.ids),
                    ],
                    ["partner_id"],
                    ["rating:sum", "__count"],
                )
            )
            for partner, total, count in visits + ratings:
                entry = totals[partner.commercial_partner_id.id]
                entry[0] += total
                entry[1] += count
        for partner in self:
            total, count = totals.get(partner.commercial_partner_id.id, (0.0, 0))
            partner.satisfaction_avg = total / count if count else 0.0
