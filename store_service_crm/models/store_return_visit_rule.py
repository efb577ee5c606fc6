import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools import check_not_blank, cron_run_lock

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "store_service_crm.group_store_service_manager"

VISIT_CHANNELS = [
    ("phone", "Phone call"),
    ("visit", "On-site visit"),
    ("sms", "SMS"),
    ("email", "Email"),
    ("messaging", "Messaging app"),
]

# a full generation run cancels the planned visits of orders cancelled (written)
# this many days ago at most; the ORM's cancel cancels them at once
SWEEP_DAYS = 7

# trigger -> origin of the visits it creates
TRIGGER_ORIGIN = {
    "sale_confirmed": "sale",
    "complaint_resolved": "complaint",
    "birthday": "birthday",
    "periodic": "maintenance",
    "care_check": "care",
    "greeting": "greeting",
}


class StoreReturnVisitRule(models.Model):
    """When to call a customer back.

    ``generate_visits()`` creates the missing visits of the rules in ``self``
    (all active rules when empty) with one INSERT ... SELECT per rule and
    batch. Every generated visit carries ``rule_id``, ``source_id`` (the sale
    order, complaint or partner it comes from) and ``period_key`` (0, the
    birthday year, the maintenance period, or the complaint's reopen count so
    that a reopened and resolved again complaint is verified again); a unique
    index on these three
    columns is the last guard against duplicates, so a run killed halfway and
    rerun leaves exactly one visit per source and period.
    """

    _name = "store.return.visit.rule"
    _description = "Return Visit Rule"
    _order = "sequence, id"

    def _default_delay_days(self):
        return self.env.company.return_visit_delay_days

    def _default_channel(self):
        return self.env.company.return_visit_channel or "phone"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    trigger = fields.Selection(
        [
            ("sale_confirmed", "Sale order confirmed"),
            ("complaint_resolved", "Complaint resolved"),
            ("birthday", "Customer birthday"),
            ("periodic", "Periodic maintenance"),
        ],
        required=True,
        default="sale_confirmed",
    )
    delay_days = fields.Integer(
        string="Delay (days)",
        default=lambda self: self._default_delay_days(),
        help="Days between the event (order confirmation, complaint resolution, birthday, "
        "purchase for maintenance) and the visit. May be negative for birthdays.",
    )
    interval_days = fields.Integer(
        string="Repeat every (days)",
        default=365,
        help="Periodic maintenance: days between two maintenance visits.",
    )
    horizon_days = fields.Integer(
        string="Plan ahead (days)",
        default=7,
        help="Birthdays and periodic maintenance: visits falling within this many days "
        "are planned.",
    )
    max_age_days = fields.Integer(
        string="Ignore events older than (days)",
        default=30,
        help="Orders confirmed and complaints resolved longer ago than this get no visit "
        "(0: no limit). Keeps a new rule from calling back years of history.",
    )
    tier_ids = fields.Many2many(
        "store.loyalty.tier",
        string="Loyalty tiers",
        help="Only customers in these tiers; empty means every customer.",
    )
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product categories",
        help="Orders only: at least one line with a product of these categories (or their "
        "sub-categories). Empty means any product.",
    )
    channel = fields.Selection(
        VISIT_CHANNELS, required=True, default=lambda self: self._default_channel()
    )
    assign_to = fields.Selection(
        [
            ("salesperson", "Salesperson of the order / customer"),
            ("team_leader", "Store team leader"),
            ("user", "A fixed user"),
        ],
        string="Assigned to",
        required=True,
        default="salesperson",
    )
    user_id = fields.Many2one(
        "res.users",
        help="Assignee when 'A fixed user' is chosen; fallback for the other roles.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    visit_ids = fields.One2many("store.return.visit", "rule_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")

    def _compute_visit_count(self):
        counts = dict(
            self.env["store.return.visit"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.visit_count = counts.get(rule, 0)

    @api.constrains("name")
    def _check_name(self):
        check_not_blank(self, ["name"])

    @api.constrains("assign_to", "user_id")
    def _check_fixed_user(self):
        for rule in self:
            if rule.assign_to == "user" and not rule.user_id:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s assigns a fixed user: choose the user.", rule=rule.name
                    )
                )

    @api.constrains("trigger", "interval_days", "horizon_days", "max_age_days")
    def _check_days(self):
        for rule in self:
            if rule.trigger == "periodic" and rule.interval_days < 1:
                raise ValidationError(self.env._("A periodic rule repeats every 1 day or more."))
            if rule.horizon_days < 0 or rule.max_age_days < 0:
                raise ValidationError(self.env._("Planning and age limits cannot be negative."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_generate_visits(self):
        created = self.generate_visits()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created else "info",
                "message": self.env._("%(count)s return visits planned.", count=created),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_visits(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_return_visit_action"
        )
        action["domain"] = [("rule_id", "in", self.ids)]
        action["context"] = {"search_default_group_state": 0}
        return action

    # ------------------------------------------------------------------
    # Generation API
    # ------------------------------------------------------------------
    def generate_visits(self, batch_size=20000):
        """Create the missing visits of these rules (all active rules if empty).

        Set-based: one INSERT ... SELECT per rule and batch, no loop over
        orders. Idempotent: a second run creates nothing. Also cancels the
        planned visits of cancelled orders. Never commits; the cron entry point
        :meth:`_cron_generate_visits` commits between batches.

        :return: the number of visits created
        """
        # the set-based generation is a batch job (the cron's, a manager's button): its
        # SQL inserts for every store, so a store clerk does not start it
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                self.env._("Only a service manager can plan the visits of the rules now.")
            )
        return self._generate(batch_size=batch_size)

    @api.model
    def _generate_for_complaints(self, complaints):
        """Plan the visits of the active ``complaint_resolved`` rules for these
        (resolved or closed) complaints now, e.g. from ``action_resolve()``.

        Idempotent like :meth:`generate_visits`; the ``max_age_days`` limit
        does not apply. Never commits.

        :return: the created ``store.return.visit`` records
        """
        if not complaints:
            return self.env["store.return.visit"]
        rules = self.search([("trigger", "=", "complaint_resolved")])
        if not rules:
            return self.env["store.return.visit"]
        return rules._generate(source_ids=complaints.ids, return_records=True)

    @api.model
    def _generate_for_orders(self, orders):
        """Plan the visits of the active ``sale_confirmed`` rules for these
        confirmed orders now (called when orders are confirmed: sale orders, or the
        orders of a bridge's model that ``store.order.source`` reads). Never commits.

        :return: the created ``store.return.visit`` records
        """
        if not orders:
            return self.env["store.return.visit"]
        rules = self.search([("trigger", "=", "sale_confirmed")])
        if not rules:
            return self.env["store.return.visit"]
        return rules._generate(source_ids={orders._name: orders.ids}, return_records=True)

    @api.model
    def _cron_generate_visits(self, batch_size=20000):
        """Cron entry point: all active rules, committed batches with progress."""
        self.search([("active", "=", True)])._generate(batch_size=batch_size, commit=True)

    def _generate(self, source_ids=None, batch_size=20000, commit=False, return_records=False):
        # source ids only make sense for the rules of one trigger (see _generate_for_*)
        assert source_ids is None or self, "restrict the rules when passing source ids"
        if commit:
            # Two committing runs at once would race for the same rows (the unique
            # index would keep one, the other would fail): the second one skips.
            with cron_run_lock(self.env, "return_visit_generation") as locked:
                if not locked:
                    _logger.info("return visits: generation already running elsewhere, skipped")
                    return self.env["store.return.visit"] if return_records else 0
                return self._generate_run(source_ids, batch_size, commit, return_records)
        return self._generate_run(source_ids, batch_size, commit, return_records)

    def _generate_run(self, source_ids, batch_size, commit, return_records):
        rules = self or self.search([("active", "=", True)])
        visit_model = self.env["store.return.visit"]
        self.env.flush_all()
        today = fields.Date.context_today(self)
        # a full run also catches orders cancelled behind the ORM's back (recently written)
        cancelled = (
            visit_model._cancel_visits_of_cancelled_orders(since_days=SWEEP_DAYS)
            if source_ids is None
            else 0
        )
        todo = []
        for rule in rules:
            select = rule._visit_source_query(today, source_ids)
            if select is None:
                continue
            todo.append((rule, select))
        if commit and cancelled:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        done = 0
        created_ids = []
        if source_ids is not None:
            # a few sources (an order confirmed, a complaint resolved): through the ORM
            for rule, select in todo:
                created = rule._create_visits(select)
                visit_model._merge_same_day_visits(created.ids)
                created_ids.extend(created.exists().ids)
            return visit_model.browse(created_ids) if return_records else len(created_ids)
        for rule, select in todo:
            remaining = None
            while True:
                ids = rule._insert_visits(select, batch_size)
                if ids:
                    # let the planner see the new rows, or the same-day merge below and
                    # the anti-join of the next batch or rule (or of the next run) may
                    # scan a table it believes empty, once per row
                    self.env.cr.execute("ANALYZE store_return_visit")
                    # one call per customer and day: same-day visits of several rules merge
                    kept = visit_model._merge_same_day_visits(ids, batch=True)
                    visit_model._create_visit_activities(kept)
                done += len(ids)
                if return_records:
                    created_ids.extend(ids)
                if commit:
                    if remaining is None and len(ids) == batch_size:
                        # more than one batch: count what is left once, for the progress
                        self.env.cr.execute(SQL("SELECT count(*) FROM (%s) AS src", select))
                        remaining = self.env.cr.fetchone()[0]
                    else:
                        remaining = max((remaining or 0) - len(ids), 0)
                    self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                    _logger.info(
                        "return visits: rule %s, %s created, %s remaining", rule.id, done, remaining
                    )
                if len(ids) < batch_size:
                    break
        if commit:
            self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        visit_model.invalidate_model()
        self.env["mail.activity"].invalidate_model()
        if return_records:
            return visit_model.browse(created_ids)
        return done

    def _create_visits(self, select):
        """Create the missing visits of ``select`` through the ORM (interactive paths:
        an order confirmed, a complaint resolved). In superuser mode: the visits follow
        from the rule whoever confirms the order (a salesman without Store Service
        rights too), and only the actions and the rules set a visit's rule and source.
        The unique index stays the last guard against duplicates."""
        self.ensure_one()
        links = self._visit_source_links()
        self.env.cr.execute(self._with_source_links(select, links))
        vals_list = [
            {
                **{name: row[name] for name in links},
                "partner_id": row["partner_id"],
                "origin": TRIGGER_ORIGIN[self.trigger],
                "sale_order_id": row["sale_order_id"],
                "complaint_id": row["complaint_id"],
                "rule_id": self.id,
                "source_id": row["source_id"],
                "period_key": row["period_key"],
                "scheduled_date": row["scheduled_date"],
                "user_id": row["user_id"],
                "team_id": row["team_id"],
                "company_id": row["company_id"],
                "channel": self.channel,
            }
            for row in self.env.cr.dictfetchall()
        ]
        if not vals_list:
            return self.env["store.return.visit"]
        return self.env["store.return.visit"].sudo().create(vals_list).sudo(False)

    def _insert_visits(self, select, batch_size):
        """Insert the next batch of missing visits; return their ids."""
        self.ensure_one()
        uid = self.env.uid
        links = self._visit_source_links()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO store_return_visit (
                    partner_id, origin, sale_order_id, complaint_id, rule_id, source_id,
                    period_key, scheduled_date, user_id, team_id, company_id, channel,
                    state, attempt_count, csat_score, nps_score, nps_given, care_visit,
                    create_uid, create_date, write_uid, write_date%(link_columns)s)
                SELECT src.partner_id, %(origin)s, src.sale_order_id, src.complaint_id, %(rule)s,
                       src.source_id, src.period_key, src.scheduled_date, src.user_id, src.team_id,
                       src.company_id, %(channel)s, 'planned', 0, 0, 0, false, false,
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                       %(link_values)s
                  FROM (%(select)s) AS src
                 LIMIT %(limit)s
                ON CONFLICT DO NOTHING
                RETURNING id
                """,
                link_columns=SQL("").join(SQL(", %s", SQL.identifier(name)) for name in links),
                link_values=SQL("").join(SQL(", %s", expr) for expr in links.values()),
                origin=TRIGGER_ORIGIN[self.trigger],
                rule=self.id,
                channel=self.channel,
                uid=uid,
                select=select,
                limit=batch_size,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _visit_source_links(self):
        """Links of a generated visit to its source beyond the sale order and the
        complaint: ``{visit column: SQL expression over the source row src}`` (a
        bridge adds its own, e.g. the POS order). Set-based like the rest of the
        generation."""
        return {}

    @api.model
    def _with_source_links(self, select, links):
        if not links:
            return select
        return SQL(
            "SELECT src.*%s FROM (%s) AS src",
            SQL("").join(
                SQL(", %s AS %s", expr, SQL.identifier(name)) for name, expr in links.items()
            ),
            select,
        )

    # ------------------------------------------------------------------
    # Source queries: one per trigger. Each returns the columns partner_id,
    # sale_order_id, complaint_id, source_id, period_key, scheduled_date,
    # user_id, team_id, company_id of the visits still missing.
    # ------------------------------------------------------------------
    def _visit_source_query(self, today, source_ids=None):
        self.ensure_one()
        method = getattr(self, f"_source_query_{self.trigger}")
        return method(today, source_ids)

    def _assignee_sql(self, salesperson, team_leader):
        """COALESCE over the assignee candidates, in the order of the rule's role."""
        fixed = SQL("%s::int", self.user_id.id or None)
        order = {
            "salesperson": [salesperson, team_leader, fixed],
            "team_leader": [team_leader, salesperson, fixed],
            "user": [fixed, salesperson, team_leader],
        }[self.assign_to]
        return SQL("COALESCE(%s)", SQL(", ").join(order))

    def _tier_filter_sql(self, partner_alias):
        if not self.tier_ids:
            return SQL("TRUE")
        return SQL(
            """EXISTS (SELECT 1 FROM res_partner tp
                        JOIN res_partner tcp ON tcp.id = tp.commercial_partner_id
                       WHERE tp.id = %s.partner_id AND tcp.loyalty_tier_id = ANY(%s))""",
            SQL.identifier(partner_alias),
            self.tier_ids.ids,
        )

    def _tier_filter_on_partner_sql(self, partner_alias):
        if not self.tier_ids:
            return SQL("TRUE")
        return SQL(
            """EXISTS (SELECT 1 FROM res_partner tcp
                       WHERE tcp.id = %s.commercial_partner_id
                         AND tcp.loyalty_tier_id = ANY(%s))""",
            SQL.identifier(partner_alias),
            self.tier_ids.ids,
        )

    def _category_filter_sql(self, order_alias):
        if not self.product_categ_ids:
            return SQL("TRUE")
        categ_ids = (
            self.env["product.category"]
            .sudo()
            .search([("id", "child_of", self.product_categ_ids.ids)])
            .ids
        )
        return SQL(
            """EXISTS (SELECT 1 FROM (%s) l
                         JOIN product_product pp ON pp.id = l.product_id
                         JOIN product_template pt ON pt.id = pp.product_tmpl_id
                        WHERE l.order_model = %s.order_model AND l.order_id = %s.order_id
                          AND pt.categ_id = ANY(%s))""",
            self.env["store.order.source"]._order_lines_sql(),
            SQL.identifier(order_alias),
            SQL.identifier(order_alias),
            categ_ids,
        )

    @api.model
    def _order_source_ids_sql(self, source_ids):
        """SQL filter of the orders ``source_ids`` on the order source ``so``: a list of
        sale order ids, or ``{order model: ids}`` (the bridges' orders)."""
        if not isinstance(source_ids, dict):
            source_ids = {"sale.order": source_ids}
        return SQL(
            "(%s)",
            SQL(" OR ").join(
                SQL("(so.order_model = %s AND so.order_id = ANY(%s))", model, list(ids))
                for model, ids in source_ids.items()
            )
            or SQL("FALSE"),
        )

    def _company_filter_sql(self, alias):
        if not self.company_id:
            return SQL("TRUE")
        return SQL("%s.company_id = %s", SQL.identifier(alias), self.company_id.id)

    def _not_generated_sql(self):
        return SQL(
            """NOT EXISTS (SELECT 1 FROM store_return_visit v
                            WHERE v.rule_id = %s AND v.source_id = src0.source_id
                              AND v.period_key = src0.period_key)""",
            self.id,
        )

    def _source_query_sale_confirmed(self, today, source_ids):
        """Visits after an order: the confirmed orders of ``store.order.source`` (sale
        orders and the bridges' orders)."""
        conditions = [
            self._company_filter_sql("so"),
            self._tier_filter_sql("so"),
            self._category_filter_sql("so"),
        ]
        if source_ids is not None:
            conditions.append(self._order_source_ids_sql(source_ids))
        elif self.max_age_days:
            conditions.append(SQL("so.date_order >= %s::date - %s", today, self.max_age_days))
        # issue 18: only the orders written since the last complete run
        conditions.append(self._watermark_orders_sql(source_ids))  # pylint: disable=no-member
        inner = SQL(
            """SELECT so.partner_id, so.sale_order_id, NULL::int AS complaint_id,
                      so.source_key AS source_id, 0 AS period_key,
                      (so.date_order::date + %(delay)s) AS scheduled_date,
                      %(user)s AS user_id, so.team_id, so.company_id
                 FROM (%(confirmed)s) so
                 LEFT JOIN crm_team team ON team.id = so.team_id
                WHERE %(where)s""",
            delay=self.delay_days,
            confirmed=self.env["store.order.source"]._confirmed_orders_sql(),
            user=self._assignee_sql(SQL("so.user_id"), SQL("team.user_id")),
            where=SQL(" AND ").join(conditions),
        )
        return SQL("SELECT * FROM (%s) AS src0 WHERE %s", inner, self._not_generated_sql())

    def _source_query_periodic(self, today, source_ids):
        conditions = [
            self._company_filter_sql("so"),
            self._tier_filter_sql("so"),
            self._category_filter_sql("so"),
            SQL(
                "so.date_order::date + %s <= %s::date + %s",
                self.delay_days,
                today,
                self.horizon_days,
            ),
        ]
        if source_ids is not None:
            conditions.append(self._order_source_ids_sql(source_ids))
        # period k: the latest maintenance date first + k * interval within the horizon
        period = SQL(
            "((%(today)s::date + %(horizon)s) - (so.date_order::date + %(delay)s)) / %(interval)s",
            today=today,
            horizon=self.horizon_days,
            delay=self.delay_days,
            interval=max(self.interval_days, 1),
        )
        inner = SQL(
            """SELECT so.partner_id, so.sale_order_id, NULL::int AS complaint_id,
                      so.source_key AS source_id, %(period)s AS period_key,
                      (so.date_order::date + %(delay)s + %(period)s * %(interval)s)
                          AS scheduled_date,
                      %(user)s AS user_id, so.team_id, so.company_id
                 FROM (%(confirmed)s) so
                 LEFT JOIN crm_team team ON team.id = so.team_id
                WHERE %(where)s""",
            period=period,
            delay=self.delay_days,
            interval=max(self.interval_days, 1),
            confirmed=self.env["store.order.source"]._confirmed_orders_sql(),
            user=self._assignee_sql(SQL("so.user_id"), SQL("team.user_id")),
            where=SQL(" AND ").join(conditions),
        )
        # do not backfill: only maintenance due from `horizon` days ago on
        return SQL(
            "SELECT * FROM (%s) AS src0 WHERE src0.scheduled_date >= %s::date - %s AND %s",
            inner,
            today,
            self.horizon_days,
            self._not_generated_sql(),
        )

    def _source_query_birthday(self, today, source_ids):
        conditions = [
            SQL("p.active"),
            SQL("p.birthdate_date IS NOT NULL"),
            self._tier_filter_on_partner_sql("p"),
        ]
        if self.company_id:
            conditions.append(
                SQL("(p.company_id IS NULL OR p.company_id = %s)", self.company_id.id)
            )
        if source_ids is not None:
            conditions.append(SQL("p.id = ANY(%s)", list(source_ids)))
        # The birthday in year y; 29 February falls on 28 February in other years.
        occurrence = SQL(
            """make_date(y.year, extract(month FROM p.birthdate_date)::int,
                    CASE WHEN extract(month FROM p.birthdate_date) = 2
                              AND extract(day FROM p.birthdate_date) = 29
                              AND NOT (y.year %% 4 = 0
                                       AND (y.year %% 100 <> 0 OR y.year %% 400 = 0))
                         THEN 28 ELSE extract(day FROM p.birthdate_date)::int END)"""
        )
        inner = SQL(
            """SELECT p.id AS partner_id, NULL::int AS sale_order_id, NULL::int AS complaint_id,
                      p.id AS source_id, y.year AS period_key,
                      (%(occurrence)s + %(delay)s) AS scheduled_date,
                      %(user)s AS user_id, su.sale_team_id AS team_id,
                      COALESCE(p.company_id, %(company)s) AS company_id
                 FROM res_partner p
                CROSS JOIN (VALUES (%(y0)s), (%(y1)s)) AS y(year)
                 LEFT JOIN res_users su ON su.id = p.user_id
                 LEFT JOIN crm_team team ON team.id = su.sale_team_id
                WHERE %(where)s""",
            occurrence=occurrence,
            delay=self.delay_days,
            user=self._assignee_sql(SQL("p.user_id"), SQL("team.user_id")),
            company=(self.company_id or self.env.company).id,
            y0=today.year,
            y1=today.year + 1,
            where=SQL(" AND ").join(conditions),
        )
        return SQL(
            """SELECT * FROM (%s) AS src0
                WHERE src0.scheduled_date BETWEEN %s::date AND %s::date + %s AND %s""",
            inner,
            today,
            today,
            self.horizon_days,
            self._not_generated_sql(),
        )

    def _source_query_complaint_resolved(self, today, source_ids):
        if "store.complaint" not in self.env:
            return None
        conditions = [
            SQL("c.state IN ('resolved', 'closed')"),
            SQL("c.date_resolved IS NOT NULL"),
            self._company_filter_sql("c"),
            self._tier_filter_sql("c"),
        ]
        if source_ids is not None:
            conditions.append(SQL("c.id = ANY(%s)", list(source_ids)))
        elif self.max_age_days:
            conditions.append(SQL("c.date_resolved >= %s::date - %s", today, self.max_age_days))
        inner = SQL(
            """SELECT c.partner_id, c.sale_order_id, c.id AS complaint_id,
                      c.id AS source_id, c.reopen_count AS period_key,
                      (c.date_resolved::date + %(delay)s) AS scheduled_date,
                      %(user)s AS user_id, c.team_id, c.company_id
                 FROM store_complaint c
                 LEFT JOIN sale_order so ON so.id = c.sale_order_id
                 LEFT JOIN crm_team team ON team.id = c.team_id
                WHERE c.partner_id IS NOT NULL AND %(where)s""",
            delay=self.delay_days,
            user=self._assignee_sql(SQL("COALESCE(c.user_id, so.user_id)"), SQL("team.user_id")),
            where=SQL(" AND ").join(conditions),
        )
        return SQL("SELECT * FROM (%s) AS src0 WHERE %s", inner, self._not_generated_sql())
