import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# A complaint counts as a possible product defect unless its cause was found
# elsewhere (installation, logistics, staff, the customer's use).
DEFECT_RESPONSIBILITIES = ("product", "unknown")


class StoreProductDefectReport(models.Model):
    """Product defect rates: complaints per unit sold, per product, across all stores.

    One row per product and company over the company's rolling window (setting
    ``defect_window_days``, default 90 days up to now):

    * ``units_sold``: quantities of the confirmed order lines (in the product's
      unit of measure) of orders confirmed within the window;
    * ``complaint_count``: complaints about the product received within the
      window, not cancelled, whose responsibility is the product or not known yet;
    * ``defect_rate`` = complaints / units sold (NULL without units);
    * ``eligible``: at least ``defect_min_units`` units sold (a 1/1 is not 100 %);
    * ``over_threshold``: eligible and ``defect_rate`` >= ``defect_threshold``.

    The defect alarm (:meth:`_cron_defect_alarm`) and the dashboard read this model:
    the rate is defined here only. Built like ``sale.report`` (``_select_defect``,
    ``_from_defect``... hooks): a stock bridge adds the lot (``stock.lot``) by
    extending :meth:`_defect_keys` and the two sources.
    """

    _name = "store.product.defect.report"
    _description = "Product Defect Rate"
    _auto = False
    _order = "eligible desc, defect_rate desc nulls last, complaint_count desc, product_id"
    _rec_name = "product_id"
    # the record that carries the alarm date (``store_defect_alarm_date``) and the
    # alarm's to-do (a bridge's report per lot: ``lot_id``)
    _defect_subject = "product_id"

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    units_sold = fields.Float(readonly=True, digits="Product Unit of Measure")
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    defect_rate = fields.Float(
        readonly=True,
        aggregator=None,
        digits=(16, 3),
        help="Complaints per unit sold over the window.",
    )
    eligible = fields.Boolean(
        string="Enough Units",
        readonly=True,
        help="At least the minimum units sold (setting): the rate is meaningful.",
    )
    over_threshold = fields.Boolean(string="Alarm", readonly=True)

    @property
    def _table_query(self):
        # the view reads the settings, orders and complaints: pending writes first
        for model in ("res.company", "sale.order", "sale.order.line", "store.complaint"):
            self.env[model].flush_model()
        return self._query_defect()

    # ------------------------------------------------------------------
    # The query, in parts (hooks for bridges)
    # ------------------------------------------------------------------
    @api.model
    def _defect_keys(self):
        """Grouping keys shared by the units sold and the complaints (``src`` columns)."""
        return ["product_id", "company_id"]

    @api.model
    def _window_start_sql(self, company_alias):
        return SQL(
            "(now() at time zone 'UTC') - make_interval(days => %s.defect_window_days)",
            SQL.identifier(company_alias),
        )

    @api.model
    def _sold_lines_defect(self):
        """The sale order lines sold over the window (the one definition of "units
        sold"): one row per line with ``sale_line_id``, ``product_id``, ``company_id``
        and ``units`` (its quantity in the product's unit of measure). The stock bridge
        counts the lots delivered on these same lines."""
        return SQL(
            """SELECT l.id AS sale_line_id, l.product_id, so.company_id,
                      l.product_uom_qty / COALESCE(lu.factor, 1.0)
                          * COALESCE(pu.factor, 1.0) AS units
                 FROM sale_order_line l
                 JOIN sale_order so ON so.id = l.order_id
                 JOIN res_company rc ON rc.id = so.company_id
                 JOIN product_product pp ON pp.id = l.product_id
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 LEFT JOIN uom_uom lu ON lu.id = l.product_uom
                 LEFT JOIN uom_uom pu ON pu.id = pt.uom_id
                WHERE so.state = 'sale' AND l.display_type IS NULL
                  AND pt.type <> 'service'
                  AND so.date_order >= %s""",
            self._window_start_sql("rc"),
        )

    @api.model
    def _sold_defect(self):
        """Units sold per key over the window, in the product's unit of measure."""
        return SQL(
            """SELECT sl.product_id, sl.company_id, SUM(sl.units) AS units
                 FROM (%s) AS sl
                GROUP BY sl.product_id, sl.company_id""",
            self._sold_lines_defect(),
        )

    @api.model
    def _complained_defect(self):
        """Possible-defect complaints per key (columns of ``store_complaint`` named
        like the keys, all set) received over the window."""
        keys = SQL(", ").join(SQL.identifier("c", key) for key in self._defect_keys())
        keys_set = SQL(" AND ").join(
            SQL("%s IS NOT NULL", SQL.identifier("c", key)) for key in self._defect_keys()
        )
        return SQL(
            """SELECT %(keys)s, count(*) AS complaints
                 FROM store_complaint c
                 JOIN res_company rc ON rc.id = c.company_id
                WHERE %(keys_set)s AND c.state <> 'cancelled'
                  AND COALESCE(c.responsibility, 'unknown') IN %(responsibilities)s
                  AND c.date_received >= %(start)s
                GROUP BY %(keys)s""",
            keys=keys,
            keys_set=keys_set,
            responsibilities=DEFECT_RESPONSIBILITIES,
            start=self._window_start_sql("rc"),
        )

    @api.model
    def _query_defect(self):
        keys = SQL(", ").join(SQL.identifier(key) for key in self._defect_keys())
        src_keys = SQL(", ").join(SQL.identifier("src", key) for key in self._defect_keys())
        rate = SQL("COALESCE(c.complaints, 0)::numeric / NULLIF(s.units, 0)")
        eligible = SQL("COALESCE(s.units, 0) >= rc.defect_min_units")
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY %(src_keys)s) AS id, src.*,
                   pp.product_tmpl_id, pt.categ_id
              FROM (SELECT %(keys)s,
                           COALESCE(s.units, 0) AS units_sold,
                           COALESCE(c.complaints, 0) AS complaint_count,
                           %(rate)s AS defect_rate,
                           %(eligible)s AS eligible,
                           (%(eligible)s AND %(rate)s >= rc.defect_threshold) AS over_threshold
                      FROM (%(sold)s) AS s
                      FULL OUTER JOIN (%(complained)s) AS c USING (%(keys)s)
                      JOIN res_company rc ON rc.id = company_id) AS src
              JOIN product_product pp ON pp.id = src.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
            """,
            keys=keys,
            src_keys=src_keys,
            rate=rate,
            eligible=eligible,
            sold=self._sold_defect(),
            complained=self._complained_defect(),
        )

    # ------------------------------------------------------------------
    # The alarm
    # ------------------------------------------------------------------
    @api.model
    def _cron_defect_alarm(self):
        """Daily: one to-do per product (the report's subject) crossing the threshold,
        for the company's defect alarm user (else its service manager). Idempotent: a
        product keeps its alarm date while over the threshold (no second to-do) and is
        re-armed once it falls below it.

        :return: the products (subjects) alarmed by this run
        """
        subject = self._defect_subject
        Subject = (
            self.env[self._fields[subject].comodel_name].sudo().with_context(active_test=False)
        )
        self.invalidate_model()
        rows = self.sudo().search([("over_threshold", "=", True)])
        over = rows.mapped(subject)
        rearmed = Subject.search(
            [("store_defect_alarm_date", "!=", False), ("id", "not in", over.ids)]
        )
        if rearmed:
            rearmed.write({"store_defect_alarm_date": False})
        new_rows = rows.filtered(lambda r: not r[subject].store_defect_alarm_date)
        alarmed = Subject.browse()
        for row in new_rows:
            if row[subject] in alarmed:
                continue  # over the threshold in two companies: one to-do
            alarmed |= row[subject]
            row._schedule_defect_activity()
        if alarmed:
            alarmed.write({"store_defect_alarm_date": fields.Date.context_today(self)})
        _logger.info(
            "%s defect alarm: %s new, %s re-armed", Subject._name, len(alarmed), len(rearmed)
        )
        return alarmed

    def _schedule_defect_activity(self):
        self.ensure_one()
        company = self.company_id
        user = company.defect_alarm_user_id or company.complaint_service_manager_id
        if not user:
            _logger.warning(
                "product defect alarm: no alarm user nor service manager in %s", company.name
            )
        activity_type = self._defect_activity_type()
        # the to-do in the assignee's language
        lang_env = self.with_context(lang=(user or self.env.user).lang).env
        rate = f"{self.defect_rate * 100:.1f} %"
        threshold = f"{company.defect_threshold * 100:.1f} %"
        units = f"{self.units_sold:g}"
        summary = lang_env._(
            "Defect rate %(rate)s: %(complaints)s complaints for %(units)s units",
            rate=rate,
            complaints=self.complaint_count,
            units=units,
        )
        note = self.with_env(lang_env)._defect_activity_note(threshold)
        self[self._defect_subject].with_env(lang_env).sudo().activity_schedule(
            activity_type_id=activity_type.id,
            summary=summary,
            note=note,
            user_id=(user or self.env.ref("base.user_admin")).id,
        )

    @api.model
    def _defect_activity_type(self):
        return self.env.ref("store_service_crm.mail_activity_type_defect_alarm")

    def _defect_activity_note(self, threshold):
        """The alarm to-do's note (in the environment's language)."""
        self.ensure_one()
        return self.env._(
            "The complaint rate of %(product)s over the last %(days)s days crossed the "
            "threshold of %(threshold)s across all stores: check the product or the "
            "supplier, and the complaints about it.",
            product=self.product_id.sudo().display_name,
            days=self.company_id.defect_window_days,
            threshold=threshold,
        )

    @api.model
    def _dashboard_defect_alarms(self, limit=10):
        """The products over the threshold, worst first (the dashboard's alarm list);
        empty for users who may not read the report."""
        if not self.has_access("read"):
            return []
        return [
            {
                "id": row.id,
                "product_id": row.product_id.id,
                "product": row.product_id.display_name,
                "units_sold": row.units_sold,
                "complaint_count": row.complaint_count,
                "defect_rate": row.defect_rate,
            }
            for row in self.search([("over_threshold", "=", True)], limit=limit)
        ]
