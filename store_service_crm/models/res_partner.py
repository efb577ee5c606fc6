from odoo import fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    birthdate_date = fields.Date(string="Birthday", help="Used by the birthday return-visit rules.")
    return_visit_ids = fields.One2many("store.return.visit", "partner_id", string="Return visits")
    return_visit_count = fields.Integer(
        compute="_compute_return_visit_stats", string="Return visits"
    )
    next_visit_date = fields.Date(compute="_compute_return_visit_stats", string="Next visit")
    last_visit_csat = fields.Integer(
        compute="_compute_return_visit_stats", string="Last visit CSAT"
    )
    needs_attention = fields.Boolean(
        compute="_compute_needs_attention",
        search="_search_needs_attention",
        string="Needs attention",
        help="Last satisfaction score of 2 or less, an open complaint past its deadline, "
        "or at risk of leaving.",
    )

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
                           (array_agg(v.csat_score ORDER BY v.date_done DESC)
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
        return [("id", "in" if positive else "not in", self._needs_attention_sql())]

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
                              AND c.resolution_deadline < now() at time zone 'UTC'"""
                    )
                )
        if "customer_lifecycle" in self._fields and self._fields["customer_lifecycle"].store:
            parts.append(SQL("SELECT id FROM res_partner WHERE customer_lifecycle = 'at_risk'"))
        return SQL(" UNION ").join(parts)

    def action_view_return_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_return_visit_action"
        )
        action["domain"] = [("partner_id", "child_of", self.mapped("commercial_partner_id").ids)]
        action["context"] = {
            "default_partner_id": self.id,
            "default_origin": "manual",
            "search_default_group_state": 0,
        }
        return action

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
