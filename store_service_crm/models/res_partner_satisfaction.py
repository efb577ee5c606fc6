"""Satisfaction figures of the customer (``satisfaction_avg``)."""

from odoo import models
from odoo.tools import SQL


class ResPartner(models.Model):
    # One concept per file (issue 13): res.partner is extended in several files on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _recompute_satisfaction_avg(self):
        """Recompute ``satisfaction_avg`` of these partners' commercial partners, set-based:
        mean of the CSAT of done visits (customer self-ratings land there too) and of
        the customers' consumed ratings on complaints."""
        if "satisfaction_avg" not in self._fields:
            return
        commercial_ids = list(set(self.mapped("commercial_partner_id").ids))
        if not commercial_ids:
            return
        self.env.flush_all()
        complaint_ratings = SQL("")
        if "store.complaint" in self.env:
            complaint_ratings = SQL(
                """UNION ALL
                   SELECT rp.commercial_partner_id, r.rating
                     FROM rating_rating r
                     JOIN res_partner rp ON rp.id = r.partner_id
                    WHERE r.res_model = 'store.complaint' AND r.consumed AND r.rating > 0
                      AND rp.commercial_partner_id = ANY(%s)""",
                commercial_ids,
            )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET satisfaction_avg = COALESCE(s.score, 0)
                  FROM unnest(%(ids)s::int[]) AS t(id)
                  LEFT JOIN (
                        SELECT cp_id, avg(score) AS score FROM (
                            SELECT rp.commercial_partner_id AS cp_id, v.csat_score::float AS score
                              FROM store_return_visit v
                              JOIN res_partner rp ON rp.id = v.partner_id
                             WHERE v.state = 'done' AND v.csat_score > 0
                               AND rp.commercial_partner_id = ANY(%(ids)s)
                            %(complaint_ratings)s
                        ) scores GROUP BY cp_id
                  ) s ON s.cp_id = t.id
                 WHERE p.id = t.id
                """,
                ids=commercial_ids,
                complaint_ratings=complaint_ratings,
            )
        )
        self.env["res.partner"].invalidate_model(["satisfaction_avg"])
