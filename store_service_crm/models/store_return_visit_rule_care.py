# The model's fields and helpers come through _inherit, which pylint cannot follow.
# pylint: disable=no-member
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# day 0 of the care-check cycles: a customer's check falls on the days d with
# (d - CARE_EPOCH) mod interval = partner id mod interval
CARE_EPOCH = "2000-01-01"
# the customers a care programme calls: bought within the lifecycle windows (the lost
# ones are left to the win-back list)
CARE_LIFECYCLES = ["new", "active", "at_risk"]


class StoreReturnVisitRule(models.Model):
    """Care programmes as visit rules.

    * ``care_check``: every ``interval_days`` (e.g. 90) a call to every customer
      (of the chosen tiers or value classes), spread evenly over the days of the
      interval by the customer's id: customer ``p`` is called on the days ``d``
      with ``(d - 2000-01-01) mod interval = p mod interval``. Period key: the
      number of the interval since 2000-01-01.
    * ``greeting``: a call on each of the rule's greeting dates (festivals,
      configurable). Period key: the date as ``yyyymmdd``.

    Both plan the visits falling within ``horizon_days`` from today; a customer is
    a commercial partner with a lifecycle other than lost. Maintenance reminders
    after a purchase are ``periodic`` rules with product categories (a default set
    is shipped, archived).
    """

    _inherit = "store.return.visit.rule"

    trigger = fields.Selection(
        selection_add=[
            ("care_check", "Periodic customer check"),
            ("greeting", "Greeting on fixed dates"),
        ],
        ondelete={"care_check": "cascade", "greeting": "cascade"},
    )
    value_class_ids = fields.Many2many(
        "store.customer.value.class",
        string="Value classes",
        help="Customers of these value classes (A/B/C) too. With tiers: customers in one of "
        "the tiers or one of the classes; both empty means every customer.",
    )
    greeting_date_ids = fields.Many2many(
        "store.greeting.date",
        string="Greeting dates",
        help="Greeting rules: the dates on which the customers are called.",
    )

    @api.constrains("trigger", "interval_days", "greeting_date_ids")
    def _check_care_programme(self):
        for rule in self:
            if rule.trigger == "care_check" and rule.interval_days < 1:
                raise ValidationError(
                    self.env._("A periodic customer check repeats every 1 day or more.")
                )
            if rule.trigger == "greeting" and rule.active and not rule.greeting_date_ids:
                raise ValidationError(
                    self.env._("Greeting rule %(rule)s: choose its dates.", rule=rule.name)
                )

    # ------------------------------------------------------------------
    # Customer filters: tiers or value classes
    # ------------------------------------------------------------------
    def _customer_filter_sql(self, commercial_alias):
        """Condition on the commercial partner ``commercial_alias``: in one of the
        rule's tiers or one of its value classes (TRUE when neither is set)."""
        if not self.tier_ids and not self.value_class_ids:
            return SQL("TRUE")
        alias = SQL.identifier(commercial_alias)
        parts = []
        if self.tier_ids:
            parts.append(SQL("%s.loyalty_tier_id = ANY(%s)", alias, self.tier_ids.ids))
        if self.value_class_ids:
            parts.append(
                SQL(
                    "%s.customer_value_class = ANY(%s)",
                    alias,
                    self.value_class_ids.mapped("code"),
                )
            )
        return SQL("(%s)", SQL(" OR ").join(parts))

    def _tier_filter_sql(self, partner_alias):
        if not self.value_class_ids:
            return super()._tier_filter_sql(partner_alias)
        return SQL(
            """EXISTS (SELECT 1 FROM res_partner tp
                        JOIN res_partner tcp ON tcp.id = tp.commercial_partner_id
                       WHERE tp.id = %s.partner_id AND %s)""",
            SQL.identifier(partner_alias),
            self._customer_filter_sql("tcp"),
        )

    def _tier_filter_on_partner_sql(self, partner_alias):
        if not self.value_class_ids:
            return super()._tier_filter_on_partner_sql(partner_alias)
        return SQL(
            """EXISTS (SELECT 1 FROM res_partner tcp
                       WHERE tcp.id = %s.commercial_partner_id AND %s)""",
            SQL.identifier(partner_alias),
            self._customer_filter_sql("tcp"),
        )

    # ------------------------------------------------------------------
    # Source queries of the care programmes
    # ------------------------------------------------------------------
    def _care_customers_sql(self, source_ids):
        """The conditions on ``res_partner p`` every care programme shares."""
        conditions = [
            SQL("p.active"),
            SQL("p.id = p.commercial_partner_id"),
            SQL("p.customer_lifecycle = ANY(%s)", CARE_LIFECYCLES),
            self._customer_filter_sql("p"),
        ]
        if self.company_id:
            conditions.append(
                SQL("(p.company_id IS NULL OR p.company_id = %s)", self.company_id.id)
            )
        if source_ids is not None:
            conditions.append(SQL("p.id = ANY(%s)", list(source_ids)))
        return SQL(" AND ").join(conditions)

    def _care_columns_sql(self):
        return SQL(
            """p.id AS partner_id, NULL::int AS sale_order_id, NULL::int AS complaint_id,
               p.id AS source_id""",
        )

    def _care_assignee_sql(self):
        """Assignee and store of a care call: the customer's salesperson, else the
        salesperson of their last confirmed order; the store of that order, else the
        salesperson's team."""
        return SQL(
            """%(user)s AS user_id, COALESCE(last.team_id, su.sale_team_id) AS team_id,
               COALESCE(p.company_id, %(company)s) AS company_id""",
            user=self._assignee_sql(SQL("COALESCE(p.user_id, last.user_id)"), SQL("team.user_id")),
            company=(self.company_id or self.env.company).id,
        )

    def _care_joins_sql(self):
        return SQL(
            """LEFT JOIN LATERAL (
                   SELECT so.user_id, so.team_id FROM sale_order so
                    WHERE so.partner_id = p.id AND so.state = 'sale'
                    ORDER BY so.date_order DESC, so.id DESC LIMIT 1) AS last ON TRUE
               LEFT JOIN res_users su ON su.id = COALESCE(p.user_id, last.user_id)
               LEFT JOIN crm_team team ON team.id = COALESCE(last.team_id, su.sale_team_id)"""
        )

    def _source_query_care_check(self, today, source_ids):
        interval = max(self.interval_days, 1)
        # the cycles that can hold a check within [today, today + horizon]
        first = ((today - fields.Date.to_date(CARE_EPOCH)).days - interval) // interval
        last = ((today - fields.Date.to_date(CARE_EPOCH)).days + self.horizon_days) // interval + 1
        inner = SQL(
            """SELECT %(columns)s, k.cycle AS period_key,
                      (%(epoch)s::date + k.cycle * %(interval)s + mod(p.id, %(interval)s)
                       + %(delay)s) AS scheduled_date,
                      %(assignee)s
                 FROM res_partner p
                CROSS JOIN generate_series(%(first)s, %(last)s) AS k(cycle)
                %(joins)s
                WHERE %(where)s""",
            columns=self._care_columns_sql(),
            epoch=CARE_EPOCH,
            interval=interval,
            delay=self.delay_days,
            assignee=self._care_assignee_sql(),
            first=first,
            last=last,
            joins=self._care_joins_sql(),
            where=self._care_customers_sql(source_ids),
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

    def _greeting_occurrences(self, today):
        """(occurrence date, period key) of the rule's active greeting dates in this
        year and the next."""
        occurrences = []
        for greeting in self.greeting_date_ids.filtered("active"):
            for year in (today.year, today.year + 1):
                if greeting.year and greeting.year != year:
                    continue
                day = greeting.day
                if greeting.month == 2 and day == 29 and not _leap(year):
                    day = 28
                occurrence = fields.Date.to_date(f"{year:04d}-{greeting.month:02d}-{day:02d}")
                occurrences.append((occurrence, year * 10000 + greeting.month * 100 + day))
        return occurrences

    def _source_query_greeting(self, today, source_ids):
        occurrences = self._greeting_occurrences(today)
        if not occurrences:
            return None
        dates = SQL(", ").join(SQL("(%s::date, %s)", day, key) for day, key in occurrences)
        inner = SQL(
            """SELECT %(columns)s, g.key AS period_key,
                      (g.day + %(delay)s) AS scheduled_date,
                      %(assignee)s
                 FROM res_partner p
                CROSS JOIN (VALUES %(dates)s) AS g(day, key)
                %(joins)s
                WHERE %(where)s""",
            columns=self._care_columns_sql(),
            delay=self.delay_days,
            assignee=self._care_assignee_sql(),
            dates=dates,
            joins=self._care_joins_sql(),
            where=self._care_customers_sql(source_ids),
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


def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
