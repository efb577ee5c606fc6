from odoo import api, fields, models

VISIT_MODEL = "store.return.visit"


class RatingRating(models.Model):
    """Ratings of return visits (the customer's answer and feedback, the link's token)
    follow the visits' record rules: see ``rating_rating_rule_store_visit``."""

    _inherit = "rating.rating"

    store_visit_visible = fields.Boolean(
        compute="_compute_store_visit_visible",
        search="_search_store_visit_visible",
        help="Technical: a rating of a return visit the current user may read.",
    )

    @api.depends_context("uid")
    def _compute_store_visit_visible(self):
        # as the actual user, even when called in sudo mode (access checks evaluate the
        # record rule on records in Python)
        Visit = self.env[VISIT_MODEL].sudo(False)
        visits = Visit.browse()
        if Visit.has_access("read"):
            visits = Visit.search(
                [("id", "in", self.filtered(lambda r: r.res_model == VISIT_MODEL).mapped("res_id"))]
            )
        for rating in self:
            rating.store_visit_visible = (
                rating.res_model == VISIT_MODEL and rating.res_id in visits.ids
            )

    def _search_store_visit_visible(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on a rating's visit access."))
        # Called from a record rule, i.e. in sudo mode: the visits are searched as the
        # actual user, with their own access rights and record rules.
        Visit = self.env[VISIT_MODEL].sudo(False)
        if Visit.has_access("read"):
            domain = [("res_model", "=", VISIT_MODEL), ("res_id", "in", Visit._search([]))]
        else:
            domain = [("id", "=", False)]
        return domain if (operator == "=") == value else ["!", *domain]
