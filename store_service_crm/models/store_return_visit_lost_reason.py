from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .store_service_kpi_definitions import SUMS, KpiRow


class StoreReturnVisit(models.Model):
    """Why customers leave, recorded on a visit: the reason is part of what the customer
    said (given to ``action_done``, or typed on the form before *Done*), frozen once the
    visit is done (a manager may correct it) and copied to the customer."""

    _inherit = "store.return.visit"  # pylint: disable=consider-merging-classes-inherited

    lost_reason_id = fields.Many2one(
        "store.lost.reason",
        string="Reason for Leaving",
        tracking=True,
        index="btree_not_null",
        ondelete="restrict",
        copy=False,
        help="When the customer says why they stopped coming or are about to: recorded "
        "on the customer too when the visit is done.",
    )
    win_back_due = fields.Boolean(
        string="Win-back Counted",
        compute="_compute_win_back",
        search="_search_win_back_due",
        help="A done care visit whose win-back window is over or whose customer ordered "
        "again (the denominator of the win-back rate).",
    )
    won_back = fields.Boolean(
        compute="_compute_win_back",
        search="_search_won_back",
        help="The customer confirmed an order within the win-back window after this care visit.",
    )

    def _win_back_ids(self, key, ids=None):
        """Ids of the visits counted by the win-back sum ``key`` (the KPI's SQL), among
        ``ids`` when given."""
        self.env.flush_all()
        row = KpiRow("v", now=fields.Datetime.now())
        where = SUMS[key].where(row)
        if ids is not None:
            where = SQL("v.id = ANY(%s) AND %s", list(ids), where)
        self.env.cr.execute(SQL("SELECT v.id FROM store_return_visit v WHERE %s", where))
        return [visit_id for (visit_id,) in self.env.cr.fetchall()]

    def _compute_win_back(self):
        ids = self.ids
        due = set(self._win_back_ids("win_back_due", ids)) if ids else set()
        won = set(self._win_back_ids("win_back_count", ids)) if ids else set()
        for visit in self:
            visit.win_back_due = visit.id in due
            visit.won_back = visit.id in won

    def _search_win_back(self, key, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", self._win_back_ids(key))]

    def _search_win_back_due(self, operator, value):
        return self._search_win_back("win_back_due", operator, value)

    def _search_won_back(self, operator, value):
        return self._search_win_back("win_back_count", operator, value)

    def _visit_answer_fields(self):
        return {*super()._visit_answer_fields(), "lost_reason_id"}  # pylint: disable=no-member

    def action_done(self, csat_score=None, nps_score=None, feedback=None, lost_reason_id=None):
        """``action_done`` with the customer's reason for leaving, when they gave one (an
        id of ``store.lost.reason``); the reason is copied to the customer."""
        if lost_reason_id is not None and lost_reason_id is not False:
            self._check_state(  # pylint: disable=no-member
                ("planned", "unreachable"), self.env._("Marking done")
            )
            reason = self.env["store.lost.reason"]
            if isinstance(lost_reason_id, int) and not isinstance(lost_reason_id, bool):
                reason = reason.browse(lost_reason_id).exists()
            if not reason:
                raise UserError(
                    self.env._(
                        "There is no reason for leaving with the id %(id)r.", id=lost_reason_id
                    )
                )
            self.write({"lost_reason_id": reason.id})
        res = super().action_done(  # pylint: disable=no-member
            csat_score=csat_score, nps_score=nps_score, feedback=feedback
        )
        self._copy_lost_reason_to_customer()
        return res

    def _copy_lost_reason_to_customer(self):
        """The customer (commercial entity) keeps the last reason a visit recorded
        (tracked in their chatter); the visit's action is the door, hence sudo."""
        for visit in self.filtered("lost_reason_id"):
            customer = visit.partner_id.commercial_partner_id
            if customer.lost_reason_id != visit.lost_reason_id:
                customer.sudo().write({"lost_reason_id": visit.lost_reason_id.id})
