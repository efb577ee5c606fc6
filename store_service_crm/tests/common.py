# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""What the tests share: the users, a complaint case and a return-visit case."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL


def table_checksums(env, tables):
    """Row count and md5 of every row of each of ``tables``: a refused change must
    leave them equal."""
    env.flush_all()
    state = {}
    for table in tables:
        env.cr.execute(
            SQL(
                "SELECT count(*), md5(COALESCE(string_agg(t::text, ',' ORDER BY t.id), ''))"
                " FROM %s t",
                SQL.identifier(table),
            )
        )
        state[table] = env.cr.fetchone()
    return state


def visit_through_actions(visit, state, csat=0, nps=None):
    """Bring a planned return visit to ``state`` through its actions, on its scheduled
    day (``freeze_time``): what a clerk does, not an SQL UPDATE. ``csat`` 0: not
    asked; ``nps`` None: not asked (0 is an answer)."""
    day = fields.Datetime.to_datetime(visit.scheduled_date).replace(hour=10)
    with freeze_time(day):
        if state == "done":
            visit.action_done(
                csat_score=csat or None,
                nps_score=nps,
                feedback=None if csat or nps is not None else "Called, no score given",
            )
        elif state == "cancelled":
            if csat or nps is not None:
                visit.write(
                    {"csat_score": csat, "nps_score": nps or 0, "nps_given": nps is not None}
                )
            visit.action_cancel()
        elif state == "unreachable":
            scheduled = visit.scheduled_date
            for _attempt in range(visit.company_id.return_visit_max_attempts or 3):
                visit.action_unreachable()
            visit.scheduled_date = scheduled  # the attempts moved it day by day
    return visit


def complaint_through_actions(
    model,
    vals,
    received,
    responded=None,
    resolved=None,
    reopened=(),
    closed=None,
    cancelled=None,
):
    """Register a complaint at ``received`` and take it through its actions, each at
    its own time (``freeze_time``): what the staff does, not an SQL UPDATE. The
    deadlines follow from the SLA settings of the company at ``received``.

    ``responded``: assigned and started (the first response); ``reopened``: pairs
    (resolved at, reopened at) before the final resolution (a reopen ends one-pass
    resolution); ``resolved``: the (last) resolution; ``closed``: closed by a manager
    without verification; ``cancelled``: cancelled with a reason. A complaint to be
    resolved without a responsibility/resolution type in ``vals`` gets "staff" and
    "apology"."""
    with freeze_time(received):
        complaint = model.create(vals)
    if not (responded or resolved or reopened or closed):
        if cancelled:
            with freeze_time(cancelled):
                complaint.action_cancel(reason="Registered twice")
        return complaint
    with freeze_time(responded or received):
        complaint.action_assign()
        complaint.action_start()
    if resolved or reopened:
        defaults = {
            "responsibility": "staff",
            "resolution_type": "apology",
            "resolution_note": "Handled with the customer",
        }
        missing = {key: value for key, value in defaults.items() if not complaint[key]}
        if missing:
            complaint.write(missing)
    for resolved_at, reopened_at in reopened:
        with freeze_time(resolved_at):
            complaint.action_resolve()
        with freeze_time(reopened_at):
            complaint.action_reopen()
    if resolved:
        with freeze_time(resolved):
            complaint.action_resolve()
    if closed:
        with freeze_time(closed):
            complaint.with_context(
                store_complaint_close_reason="Customer confirmed in store"
            ).action_close()
    if cancelled:
        with freeze_time(cancelled):
            complaint.action_cancel(reason="Registered twice")
    return complaint


def confirmed_order(env, partner, team_id, product, amount, date_order, cancel=False):
    """A sale order of one ``product`` at ``amount``, confirmed through its action
    (cancelled after when ``cancel``), then dated ``date_order``."""
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "team_id": team_id,
            "order_line": [
                fields.Command.create(
                    {"product_id": product.id, "product_uom_qty": 1, "price_unit": amount}
                )
            ],
        }
    )
    order.action_confirm()
    if cancel:
        order._action_cancel()
    order.date_order = date_order
    return order


def make_users(env):
    """Three internal users: a plain employee, a store clerk and a manager."""
    return {
        "employee": new_test_user(env, login="ssc_employee", groups="base.group_user"),
        "clerk": new_test_user(
            env,
            login="ssc_clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
        ),
        "manager": new_test_user(
            env,
            login="ssc_manager",
            groups="base.group_user,store_service_crm.group_store_service_manager",
        ),
    }


class ComplaintCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = make_users(cls.env)
        cls.clerk = cls.users["clerk"]
        cls.manager = cls.users["manager"]
        cls.company = cls.env.company
        cls.company.write(
            {
                "complaint_response_hours": 24.0,
                "complaint_resolution_hours": 72.0,
                "complaint_factor_low": 1.5,
                "complaint_factor_medium": 1.0,
                "complaint_factor_high": 0.5,
                "complaint_factor_critical": 0.25,
                "complaint_sla_working_hours": False,
                "complaint_escalation_delay_hours": 24.0,
                "complaint_repeat_days": 30,
            }
        )
        # the clerk works in the store (record rules: a clerk sees their stores' complaints)
        cls.store = cls.env["crm.team"].create(
            {
                "is_store": True,
                "name": "Test Store",
                "user_id": cls.manager.id,
                "company_id": cls.company.id,
                "member_ids": [fields.Command.link(cls.clerk.id)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ms. Zhang", "email": "zhang@example.com", "customer_rank": 1}
        )
        cls.customer_no_email = cls.env["res.partner"].create(
            {"name": "Mr. Wang", "customer_rank": 1}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Fridge FR-200", "list_price": 800.0, "type": "consu"}
        )
        cls.other_product = cls.env["product.product"].create(
            {"name": "Tile 60x60", "list_price": 5.0, "type": "consu"}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "order_line": [
                    fields.Command.create({"product_id": cls.product.id, "product_uom_qty": 1})
                ],
            }
        )
        cls.order.action_confirm()
        cls.category = cls.env.ref("store_service_crm.complaint_category_product_quality")
        cls.Complaint = cls.env["store.complaint"].with_context(
            mail_create_nolog=True, tracking_disable=True
        )

    def _complaint(self, **vals):
        values = {
            "partner_id": self.customer_no_email.id,
            "category_id": self.category.id,
            "description": "The fridge is noisy",
            "team_id": self.store.id,
        }
        values.update(vals)
        return self.Complaint.create(values)

    def _in_progress(self, **vals):
        complaint = self._complaint(**vals)
        complaint.action_assign()
        complaint.action_start()
        return complaint

    def _resolvable(self, complaint):
        complaint.write(
            {"responsibility": "staff", "resolution_type": "apology", "resolution_note": "Sorry"}
        )
        return complaint

    def _resolved(self, **vals):
        complaint = self._resolvable(self._in_progress(**vals))
        complaint.action_resolve()
        return complaint

    @staticmethod
    def _hours(delta):
        return round(delta / timedelta(hours=1), 4)


class VisitCase(TransactionCase):
    """A store, a clerk, a customer and helpers to make orders; the shipped rules are
    archived so that each test decides which rules exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.users = make_users(cls.env)
        cls.clerk = cls.users["clerk"]
        cls.manager = cls.users["manager"]
        cls.Rule = cls.env["store.return.visit.rule"]
        cls.Visit = cls.env["store.return.visit"]
        cls.Rule.search([]).active = False
        # The tests run 400 days from now: the existing (demo) orders are too old for the
        # rules, each test sees its own orders only.
        cls.startClassPatcher(freeze_time(fields.Datetime.now() + timedelta(days=400)))
        cls.store = cls.env["crm.team"].create(
            {"is_store": True, "name": "Visit Test Store", "user_id": cls.manager.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ms. Zhang", "email": "zhang@example.com", "customer_rank": 1}
        )
        cls.tiles = cls.env["product.category"].create({"name": "Tiles"})
        cls.floor_tiles = cls.env["product.category"].create(
            {"name": "Floor tiles", "parent_id": cls.tiles.id}
        )
        cls.fridge = cls.env["product.product"].create(
            {"name": "Fridge FR-200", "list_price": 800.0, "type": "consu"}
        )
        cls.tile = cls.env["product.product"].create(
            {
                "name": "Tile 60x60",
                "list_price": 5.0,
                "type": "consu",
                "categ_id": cls.floor_tiles.id,
            }
        )
        cls.activity_type = cls.env.ref("store_service_crm.mail_activity_type_return_visit")

    def _rule(self, **vals):
        values = {
            "name": "Call after purchase",
            "trigger": "sale_confirmed",
            "delay_days": 3,
            "channel": "phone",
            "assign_to": "salesperson",
            "company_id": False,
        }
        values.update(vals)
        return self.Rule.create(values)

    def _order(self, partner=None, product=None, confirm=True, user=None, days_ago=0):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "team_id": self.store.id,
                "user_id": (user or self.clerk).id,
                "order_line": [
                    fields.Command.create(
                        {"product_id": (product or self.fridge).id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
            if days_ago:
                order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def _visits(self, **domain):
        return self.Visit.search([(key, "=", value) for key, value in domain.items()])


def english_frontend(env):
    """Public pages in English, whatever the database's default language: a visitor
    without a session gets the default language of contacts (the demo database's is
    Chinese), so the tests that read the pages' texts make it English."""
    env["res.lang"]._activate_lang("en_US")
    env["ir.default"].set("res.partner", "lang", "en_US")
    env["store.public.form.hit"].search([]).unlink()  # the rate limit starts afresh
