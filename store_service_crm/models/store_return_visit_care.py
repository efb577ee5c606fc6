# The model's fields and helpers come through _inherit, which pylint cannot follow.
# pylint: disable=no-member
from odoo import api, fields, models
from odoo.tools import SQL

# Which visit of a customer's day stays when several rules plan one: the first origin
# of this list (a complaint to verify before a purchase follow-up, before a greeting).
MERGE_PRIORITY = ("complaint", "sale", "maintenance", "care", "greeting", "birthday")
# The visits that may be merged into another call: the customer-keyed ones. A purchase
# follow-up or a complaint verification is about its own order or complaint (a complaint
# is closed on its own verification): it absorbs the others and is never merged away.
MERGEABLE_ORIGINS = ("maintenance", "care", "greeting", "birthday")


class StoreReturnVisit(models.Model):
    """Care programmes on the visit: the care-check and greeting origins, and the
    merge of one customer's same-day visits into one call."""

    _inherit = "store.return.visit"  # pylint: disable=consider-merging-classes-inherited

    origin = fields.Selection(
        selection_add=[("care", "Care check"), ("greeting", "Greeting")],
        ondelete={"care": "set default", "greeting": "set default"},
    )
    merged_into_id = fields.Many2one(
        "store.return.visit",
        string="Merged into",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Another rule planned a call to the same customer on the same day: this "
        "visit is made by that call.",
    )
    merged_visit_ids = fields.One2many(
        "store.return.visit", "merged_into_id", string="Merged visits", readonly=True
    )
    visit_reasons = fields.Char(
        string="Reasons",
        compute="_compute_visit_reasons",
        help="The rules this call is made for: its own and those of the visits merged into it.",
    )

    @api.depends("rule_id", "merged_visit_ids.rule_id")
    def _compute_visit_reasons(self):
        for visit in self:
            rules = visit.rule_id | visit.merged_visit_ids.rule_id
            visit.visit_reasons = ", ".join(rules.sudo().mapped("name"))

    @api.model
    def _merge_same_day_visits(self, visit_ids, batch=False):
        """Merge the planned rule visits of one customer on one day into one call.

        For every (customer, day) touched by ``visit_ids``, the visit of the first
        origin of ``MERGE_PRIORITY`` (then the oldest) stays; the others are cancelled
        with ``merged_into_id`` pointing to it and lose their to-do. Set-based: one
        statement finds the pairs. ``batch``: write with SQL (the cron's generation);
        otherwise through the ORM (interactive paths).

        :return: the ids of ``visit_ids`` still planned (not merged into another)
        """
        if not visit_ids:
            return []
        self.flush_model()
        priority = SQL(
            "CASE v.origin %s ELSE %s END",
            SQL(" ").join(
                SQL("WHEN %s THEN %s", origin, rank) for rank, origin in enumerate(MERGE_PRIORITY)
            ),
            len(MERGE_PRIORITY),
        )
        self.env.cr.execute(
            SQL(
                """
                WITH days AS (
                    SELECT DISTINCT partner_id, scheduled_date FROM store_return_visit
                     WHERE id = ANY(%(ids)s) AND state = 'planned' AND rule_id IS NOT NULL
                ), ranked AS (
                    SELECT v.id, v.origin, first_value(v.id) OVER (
                               PARTITION BY v.partner_id, v.scheduled_date
                               ORDER BY %(priority)s, v.id) AS keep_id
                      FROM store_return_visit v
                      JOIN days d ON d.partner_id = v.partner_id
                                 AND d.scheduled_date = v.scheduled_date
                     WHERE v.state = 'planned' AND v.rule_id IS NOT NULL
                       AND v.merged_into_id IS NULL AND v.care_visit IS NOT TRUE
                )
                SELECT id, keep_id FROM ranked WHERE id <> keep_id AND origin IN %(mergeable)s
                """,
                ids=list(visit_ids),
                mergeable=MERGEABLE_ORIGINS,
                priority=priority,
            )
        )
        pairs = self.env.cr.fetchall()
        merged = {visit_id for visit_id, _keep in pairs}
        if pairs:
            self._write_merged(pairs, batch)
        return [visit_id for visit_id in visit_ids if visit_id not in merged]

    @api.model
    def _write_merged(self, pairs, batch):
        merged_ids = [visit_id for visit_id, _keep in pairs]
        if batch:
            self.env.cr.execute(
                SQL(
                    """UPDATE store_return_visit v
                          SET state = 'cancelled', merged_into_id = m.keep_id,
                              write_uid = %(uid)s, write_date = now() at time zone 'UTC'
                         FROM unnest(%(ids)s::int[], %(keeps)s::int[]) AS m(id, keep_id)
                        WHERE v.id = m.id""",
                    ids=merged_ids,
                    keeps=[keep for _visit_id, keep in pairs],
                    uid=self.env.uid,
                )
            )
            self.env.cr.execute(
                SQL(
                    "DELETE FROM mail_activity WHERE res_model = %s AND res_id = ANY(%s)",
                    self._name,
                    merged_ids,
                )
            )
            self.invalidate_model()
            self.env["mail.activity"].invalidate_model()
            return
        by_keep = {}
        for visit_id, keep in pairs:
            by_keep.setdefault(keep, []).append(visit_id)
        visits = self.sudo().browse(merged_ids)
        visits.activity_ids.unlink()
        for keep, ids in by_keep.items():
            self.sudo().browse(ids).write({"state": "cancelled", "merged_into_id": keep})
