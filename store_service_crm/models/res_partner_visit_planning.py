"""Visit planning on the customer: return-visit stats, "needs attention", care visits."""

from odoo import fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    # One concept per file (issue 13): res.partner is extended in several files on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _compute_return_visit_stats(self):
        """Visit count, next planned date and last CSAT per customer, in one query."""
        partners = self.filtered("id")
        stats = {}
        if partners:
            self.env["store.return.visit"].flush_model()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT rp.commercial_partner_id,
                           count(*),
                           min(v.scheduled_date) FILTER (WHERE v.state = 'planned'),
                           (array_agg(v.csat_score ORDER BY v.date_done DESC, v.id DESC)
                                FILTER (WHERE v.state = 'done' AND v.csat_score > 0))[1]
                      FROM store_return_visit v
                      JOIN res_partner rp ON rp.id = v.partner_id
                     WHERE rp.commercial_partner_id = ANY(%s)
                     GROUP BY rp.commercial_partner_id
                    """,
                    partners.mapped("commercial_partner_id").ids,
                )
            )
            stats = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner in self:
            count, next_date, last_csat = stats.get(partner.commercial_partner_id.id, (0, False, 0))
            partner.return_visit_count = count
            partner.next_visit_date = next_date
            partner.last_visit_csat = last_csat or 0

    def _compute_needs_attention(self):
        attention = (
            set(self.search([("id", "in", self.ids), ("needs_attention", "=", True)]).ids)
            if self.ids
            else set()
        )
        for partner in self:
            partner.needs_attention = partner.id in attention

    def _search_needs_attention(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on 'Needs attention'."))
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", SQL("(%s)", self._needs_attention_sql()))]

    def _needs_attention_sql(self):
        """Commercial partners needing care, as one SQL sub-select of ids."""
        parts = [
            # last done visit's CSAT is 2 or less
            SQL(
                """SELECT cp_id FROM (
                       SELECT DISTINCT ON (rp.commercial_partner_id)
                              rp.commercial_partner_id AS cp_id, v.csat_score
                         FROM store_return_visit v
                         JOIN res_partner rp ON rp.id = v.partner_id
                        WHERE v.state = 'done' AND v.csat_score > 0
                        ORDER BY rp.commercial_partner_id, v.date_done DESC, v.id DESC
                   ) last_visit WHERE last_visit.csat_score <= 2"""
            )
        ]
        if "store.complaint" in self.env:
            Complaint = self.env["store.complaint"]
            if "resolution_deadline" in Complaint._fields:
                parts.append(
                    SQL(
                        """SELECT rp.commercial_partner_id FROM store_complaint c
                             JOIN res_partner rp ON rp.id = c.partner_id
                            WHERE c.state NOT IN ('resolved', 'closed', 'cancelled')
                              AND c.resolution_deadline < %s""",
                        fields.Datetime.now(),
                    )
                )
        if "customer_lifecycle" in self._fields and self._fields["customer_lifecycle"].store:
            parts.append(SQL("SELECT id FROM res_partner WHERE customer_lifecycle = 'at_risk'"))
        return SQL(" UNION ").join(parts)

    def action_plan_care_visit(self):
        """Plan one care visit for each selected customer that has none planned yet."""
        visits = self.env["store.return.visit"]._plan_care_visits(self)
        skipped = len(self) - len(visits)
        message = self.env._("%(count)s care visits planned.", count=len(visits))
        if skipped:
            message += " " + self.env._(
                "%(count)s customers already had one planned.", count=skipped
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if visits else "warning",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
