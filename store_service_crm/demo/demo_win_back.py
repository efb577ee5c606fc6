"""Demo data of "why customers leave", win-back and preventive actions.

Called once by the demo chain (``DemoChain.build``), after its orders, visits and
complaints: care visits of the last months done through ``action_done`` with the
reason the customer gave (some followed by an order: won back), reasons set on a
few customers' forms, and preventive actions on resolved product or installation
complaints (open, overdue, done, cancelled). Dates are written in afterwards, as
the rest of the chain.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools import SQL

# what the demo customers say (weights: service first, as in the manuals, but a
# chain with more price and quality trouble than the reference)
REASON_WEIGHTS = (
    ("service", 40),
    ("quality", 22),
    ("price", 16),
    ("competitor", 7),
    ("moved", 6),
    ("other", 9),
)
FEEDBACK = {
    "service": "Nobody called back after the delivery problem.",
    "quality": "The last fridge broke twice in a year.",
    "price": "Found the same model cheaper online.",
    "competitor": "My brother-in-law works at the store across the street.",
    "moved": "We moved to another district.",
    "other": "Not buying anything at the moment.",
}
PREVENTIVE = (
    ("Check every compressor of the FR series before delivery", 10),
    ("Installation checklist signed by the customer", 20),
    ("Second supplier for the 60x60 tiles", 30),
    ("Train the installers on wall anchoring", 14),
    ("Test run of every washing machine at installation", 21),
    ("Batch inspection of incoming goods", 7),
)


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def build_win_back_demo(chain, rng, ctx, orders):
    """Care visits with reasons for leaving, customer reasons, preventive actions."""
    env = chain.env
    reasons = {
        code: env.ref(f"store_service_crm.lost_reason_{code}") for code, _w in REASON_WEIGHTS
    }
    visited = _demo_care_visits(chain, rng, ctx, orders, reasons)
    _demo_customer_reasons(env, rng, ctx, orders, reasons, visited)
    _demo_preventive_actions(env, rng, ctx)


def _care_day(rng, ctx, customer_orders):
    """(day of the care visit, won back?): a day some weeks before one of the customer's
    recent orders (the order wins them back), else a day of the last months."""
    today = ctx["today"]
    recent = [o for o in customer_orders[1:] if (today - o.date_order.date()).days < 200]
    if recent and rng.random() < 0.6:
        order_day = rng.choice(recent).date_order.date()
        day = order_day - timedelta(days=rng.randint(3, 40))
        if day < today:
            return day, True
    return today - timedelta(days=rng.randint(5, 200)), False


def _demo_care_visits(chain, rng, ctx, orders, reasons):
    """About half the customers got a care call; most gave a reason for leaving."""
    env = chain.env
    today = ctx["today"]
    last_month = today.replace(day=1) - relativedelta(months=1)
    by_customer = {}
    for order in orders.filtered(lambda o: o.state == "sale").sorted("date_order"):
        by_customer.setdefault(order.partner_id.commercial_partner_id, []).append(order)
    vals_list, codes = [], []
    for customer, customer_orders in sorted(by_customer.items(), key=lambda kv: kv[0].id):
        if rng.random() >= 0.55:
            continue
        day, _won = _care_day(rng, ctx, customer_orders)
        last = customer_orders[-1]
        # a few calls of last month, before an order of this month or last month: the
        # win-back KPI of last month has figures in every store
        if len(vals_list) % 4 == 0 and last.date_order.date() > last_month + timedelta(days=2):
            day = min(last.date_order.date() - timedelta(days=1), today - timedelta(days=1))
            day = max(day - timedelta(days=rng.randint(0, 5)), last_month)
        vals_list.append(
            {
                "partner_id": customer.id,
                "origin": "manual",
                "scheduled_date": day,
                "user_id": last.user_id.id,
                "team_id": last.team_id.id,
                "company_id": last.company_id.id,
                "channel": "phone",
                "care_visit": True,
            }
        )
        codes.append(_weighted(rng, REASON_WEIGHTS) if rng.random() < 0.85 else None)
    visits = env["store.return.visit"].create(vals_list)
    visits.activity_ids.unlink()
    moments = {}
    for visit, code in zip(visits, codes, strict=True):
        visit.action_done(
            csat_score=rng.choice((2, 3, 3, 4)),
            feedback=FEEDBACK[code] if code else "Happy to hear from the store.",
            lost_reason_id=reasons[code].id if code else None,
        )
        moments[visit.id] = chain._demo_done_moment(rng, ctx, visit.scheduled_date)
    chain._demo_backdate_visits(moments)
    return visits.partner_id


def _demo_customer_reasons(env, rng, ctx, orders, reasons, visited):
    """A few customers whose reason was typed on their form (no care call)."""
    customers = (orders.partner_id.commercial_partner_id - visited).sorted("id")
    chosen = customers[: max(len(customers) // 5, 1)]
    days = {}
    for customer in chosen:
        customer.write({"lost_reason_id": reasons[_weighted(rng, REASON_WEIGHTS)].id})
        days[customer.id] = ctx["today"] - timedelta(days=rng.randint(0, 150))
    env.flush_all()
    if days:
        env.cr.execute(
            SQL(
                """UPDATE res_partner p SET lost_reason_date = s.day
                     FROM unnest(%(ids)s::int[], %(days)s::date[]) AS s(id, day)
                    WHERE p.id = s.id""",
                ids=list(days),
                days=list(days.values()),
            )
        )
        env["res.partner"].invalidate_model(["lost_reason_date"])


def _demo_preventive_actions(env, rng, ctx):
    """Preventive actions on resolved complaints caused by the product or the
    installation: the older ones done (one dropped), the recent ones open, one late."""
    complaints = env["store.complaint"].search(
        [
            ("state", "in", ("resolved", "closed")),
            ("responsibility", "in", ("product", "installation")),
            ("team_id.is_store", "=", True),
        ],
        order="date_resolved desc",
        limit=len(PREVENTIVE),
    )
    today = ctx["today"]
    for index, (complaint, (name, days)) in enumerate(zip(complaints, PREVENTIVE, strict=False)):
        resolved = fields.Date.to_date(complaint.date_resolved) or today
        action = env["store.preventive.action"].create(
            {
                "complaint_id": complaint.id,
                "name": name,
                "user_id": (complaint.team_id.user_id or complaint.user_id or env.user).id,
                # the third one is late
                "date_deadline": today - timedelta(days=2)
                if index == 2
                else resolved + timedelta(days=days),
                "description": complaint.root_cause or False,
            }
        )
        if index >= 4:
            action.action_done()
        elif index == 3:
            action.action_cancel()
