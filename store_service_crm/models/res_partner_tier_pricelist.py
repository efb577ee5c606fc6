"""Tier benefits on the customer: the pricelist given by the tier.

A tier may carry a pricelist (``store.loyalty.tier.pricelist_id``). The customer gets
it when they reach the tier and loses it when they leave it, unless somebody set the
customer's pricelist by hand: ``loyalty_pricelist_id`` remembers which pricelist the
tier gave, and the customer's pricelist is changed only while it is still that one.

The rule is written once, as SQL (``_loyalty_pricelist_sql``), and used by the batch
paths: the set-based recompute (``_loyalty_apply``) and the cron that applies a tier's
new pricelist in committed batches (``_loyalty_sync_pricelists``). A tier set by hand
(a few customers) follows the same rule through the ORM
(``_loyalty_give_tier_pricelists``). Odoo 18 stores the customer's pricelist in
``specific_property_product_pricelist``, a company-dependent field: a jsonb column
``{"<company id>": <pricelist id>}`` on res_partner, mirrored on the contacts of a
commercial entity (``_company_dependent_commercial_fields``).
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

PRICELIST_COLUMN = "specific_property_product_pricelist"


class ResPartner(models.Model):
    # One concept per file (issue 13): res.partner is extended in several files on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    loyalty_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Tier Pricelist",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The pricelist the customer's loyalty tier gave them. It is taken back when "
        "they leave the tier; a pricelist set by hand is never replaced.",
    )
    loyalty_pricelist_manual = fields.Boolean(
        string="Pricelist Set by Hand",
        compute="_compute_loyalty_pricelist_manual",
        help="The customer's pricelist is not the one their tier gives: it was set by "
        "hand and the tier does not change it.",
    )

    @api.depends("loyalty_pricelist_id", PRICELIST_COLUMN)
    @api.depends_context("company")
    def _compute_loyalty_pricelist_manual(self):
        for partner in self:
            own = partner[PRICELIST_COLUMN]
            partner.loyalty_pricelist_manual = bool(own) and own != partner.loyalty_pricelist_id

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "loyalty_pricelist_id"]  # pylint: disable=no-member

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._loyalty_check_pricelist_given(vals, self.browse())
        return super().create(vals_list)

    def write(self, vals):
        if "loyalty_pricelist_id" in vals:
            for partner in self:
                self._loyalty_check_pricelist_given(vals, partner)
        if "loyalty_tier_id" not in vals:
            return super().write(vals)
        commercial = self.mapped("commercial_partner_id")
        before = {
            p.id: p.with_company(self._loyalty_tier_company(p))[PRICELIST_COLUMN]
            for p in commercial
        }
        res = super().write(vals)
        # a tier set by hand gives or takes back its pricelist like a computed one
        if self._loyalty_give_tier_pricelists(commercial):
            self._loyalty_log_manual_pricelists(commercial, before)
        return res

    @api.model
    def _loyalty_give_tier_pricelists(self, partners):
        """A tier set by hand (a few customers): the rule of ``_loyalty_pricelist_sql``
        through the ORM, as the user (access rights, record rules), on the commercial
        ``partners`` and their contacts. The tier's own note of what it gave
        (``loyalty_pricelist_id``) is written in superuser mode after that. Returns
        the partners whose pricelist changed."""
        changed = self.browse()
        for partner in partners:
            company = self._loyalty_tier_company(partner)
            new = partner.loyalty_tier_id.pricelist_id
            contacts = self.with_company(company).search(
                [("commercial_partner_id", "=", partner.id)], order="id"
            )
            # decide on the values before the change (writing the commercial entity
            # syncs its contacts)
            owned = {c: c[PRICELIST_COLUMN] == c.loyalty_pricelist_id for c in contacts}
            for contact in contacts:
                if owned[contact] and contact[PRICELIST_COLUMN] != new:
                    contact.write({PRICELIST_COLUMN: new.id})
                    changed |= contact
            for contact in contacts:
                # a pricelist set by hand: the tier does not replace it, and gave nothing
                given = new if owned[contact] else self.env["product.pricelist"]
                if contact.loyalty_pricelist_id != given:
                    contact.sudo().write({"loyalty_pricelist_id": given.id})
        return changed

    @api.model
    def _loyalty_check_pricelist_given(self, vals, partner):
        """Only the tier gives a pricelist: a client may not record one as given (it
        would be taken back on the next tier change). The commercial fields sync may
        copy the value of the commercial entity onto one of its contacts."""
        if "loyalty_pricelist_id" not in vals or self.env.su:
            return
        new = vals["loyalty_pricelist_id"] or False
        if new == (partner.loyalty_pricelist_id.id or False):
            return
        parent = self.browse(vals["parent_id"]) if vals.get("parent_id") else partner.parent_id
        if parent and new == (parent.commercial_partner_id.loyalty_pricelist_id.id or False):
            return
        raise AccessError(
            self.env._("The pricelist given by a loyalty tier is set by the tier only.")
        )

    @api.model
    def _loyalty_tier_company(self, partner):
        return partner.loyalty_tier_id.company_id or partner.company_id or self.env.company

    @api.model
    def _loyalty_log_manual_pricelists(self, partners, before):
        """Complete the history rows of tiers set by hand with the pricelists (few rows)."""
        History = self.env["store.loyalty.tier.history"].sudo()
        for partner in partners:
            after = partner.with_company(self._loyalty_tier_company(partner))[PRICELIST_COLUMN]
            if after == before.get(partner.id):
                continue
            row = History.search(
                [("partner_id", "=", partner.id), ("reason", "=", "manual")],
                order="id desc",
                limit=1,
            )
            row.write({"old_pricelist_id": before.get(partner.id).id, "new_pricelist_id": after.id})

    # ------------------------------------------------------------------
    # The rule, in SQL (one definition)
    # ------------------------------------------------------------------
    @api.model
    def _loyalty_pricelist_sql(self, row, new_pricelist, company):
        """SQL expressions of the pricelist rule for the res_partner row ``row`` (its
        values before the change) moving to a tier whose pricelist is ``new_pricelist``
        in ``company``.

        Returns a dict:
        - ``current``: the customer's own pricelist in that company (or NULL);
        - ``owned``: true when the tier may change it: it is still the one the tier
          gave (nothing given and nothing set counts);
        - ``specific``: the new value of the jsonb column;
        - ``given``: the new ``loyalty_pricelist_id`` (NULL once it was set by hand);
        - ``result``: the customer's own pricelist after the change.
        """
        row = SQL.identifier(row)
        column = SQL.identifier(PRICELIST_COLUMN)
        key = SQL("(%s)::text", company)
        current = SQL("(%s.%s ->> %s)::integer", row, column, key)
        owned = SQL("(%s IS NOT DISTINCT FROM %s.loyalty_pricelist_id)", current, row)
        specific = SQL(
            """CASE WHEN %(owned)s AND %(current)s IS DISTINCT FROM %(new)s
                    THEN CASE WHEN %(new)s IS NULL
                              THEN NULLIF(COALESCE(%(row)s.%(column)s, '{}'::jsonb) - %(key)s,
                                          '{}'::jsonb)
                              ELSE COALESCE(%(row)s.%(column)s, '{}'::jsonb)
                                   || jsonb_build_object(%(key)s, %(new)s) END
                    ELSE %(row)s.%(column)s END""",
            owned=owned,
            current=current,
            new=new_pricelist,
            row=row,
            column=column,
            key=key,
        )
        given = SQL("CASE WHEN %s THEN %s END", owned, new_pricelist)
        result = SQL("CASE WHEN %s THEN %s ELSE %s END", owned, new_pricelist, current)
        return {
            "current": current,
            "owned": owned,
            "specific": specific,
            "given": given,
            "result": result,
        }

    @api.model
    def _loyalty_sync_pricelists(self, tier_ids, limit=None):
        """Give the customers of ``tier_ids`` (a tier whose pricelist changed) and their
        contacts the pricelist of their tier: one UPDATE of the rows out of step, at
        most ``limit`` of them (the batch of the cron ``_cron_sync_tier_pricelists``:
        raw SQL only there, a tier may hold 100 k customers). A history row is not
        written: the tier did not change. Returns the rows written."""
        if not tier_ids:
            return 0
        self.env["res.partner"].flush_model(
            ["loyalty_tier_id", "loyalty_pricelist_id", PRICELIST_COLUMN, "company_id"]
        )
        self.env["store.loyalty.tier"].flush_model(["pricelist_id", "company_id"])
        rule = self._loyalty_pricelist_sql(
            "rp",
            SQL("t.pricelist_id"),
            SQL("COALESCE(t.company_id, cp.company_id, %s)", self.env.company.id),
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner target
                   SET %(column)s = s.specific, loyalty_pricelist_id = s.given
                  FROM (SELECT rp.id, %(specific)s AS specific, %(given)s AS given
                          FROM res_partner rp
                          JOIN res_partner cp ON cp.id = rp.commercial_partner_id
                          JOIN store_loyalty_tier t ON t.id = rp.loyalty_tier_id
                         WHERE rp.loyalty_tier_id = ANY(%(tiers)s)
                           AND (%(specific)s IS DISTINCT FROM rp.%(column)s
                                OR %(given)s IS DISTINCT FROM rp.loyalty_pricelist_id)
                         ORDER BY rp.id
                         LIMIT %(limit)s) s
                 WHERE s.id = target.id
                """,
                column=SQL.identifier(PRICELIST_COLUMN),
                specific=rule["specific"],
                given=rule["given"],
                tiers=list(tier_ids),
                limit=limit,
            )
        )
        count = self.env.cr.rowcount
        if count:
            self._loyalty_pricelist_invalidate()
        return count

    @api.model
    def _loyalty_pricelist_invalidate(self):
        self.env["res.partner"].invalidate_model(
            [PRICELIST_COLUMN, "property_product_pricelist", "loyalty_pricelist_id"]
        )
