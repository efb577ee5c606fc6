"""The demo chain: 14 months of a three-store chain, generated at demo install.

Plain Python, not a model: nothing of it is registered in a database without
demo data (Odoo's convention, as ``account/demo/account_demo.py``). The demo
file ``demo/demo_chain_demo.xml`` (noupdate: an addon update does not run it
again) calls ``crm.team._store_service_create_demo_chain()``, the one hook at
the bottom of this file, which returns at once when the chain exists. It is
deterministic (``random.Random(42)`` and seeds derived from it) and relative to
today: the same customers, orders, complaints and visits on every install,
dated over this month and the 13 before.

Records go through the ORM in batches and the workflow actions (``action_*``)
where they set derived fields or side records (verification visits,
activities, satisfaction averages); the past is then written in with SQL, once,
at demo install: order, complaint and visit dates, first responses,
resolutions, closings and the first-contact flag computed with the same rule
as ``action_resolve()``.
"""

import random
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL, LazyTranslate

_lt = LazyTranslate(__name__)

from . import demo_portal
from .demo_care import create_demo_care
from .demo_dispatch import build_dispatch_demo
from .demo_public import build_public_channels_demo
from .demo_tier_benefits import demo_tier_pricelists
from .demo_win_back import build_win_back_demo

SEED = 42
MONTHS = 14  # this month and the 13 before
DEMO_REF = "SSC-DEMO-"  # res.partner.ref of the chain's customers
NO_MAIL_CTX = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_notify_force_send": False,
}

CITIES = ("Shanghai", "Beijing", "Guangzhou", "Shenzhen", "Hangzhou", "Nanjing", "Suzhou")
INDIVIDUALS = (
    "Xu Wei", "Ma Lin", "Zhu Hong", "Hu Bin", "Gao Yue", "Lin Xiaoyu", "Luo Qing", "Zheng Kai",
    "Liang Yu", "Xie Ting", "Song Jian", "Tang Lu", "Han Mei", "Feng Tao", "Deng Chao",
    "Cao Ying", "Peng Hui", "Zeng Rui", "Xiao Dan", "Tian Bo", "Dong Xue", "Pan Yi", "Yuan Ning",
    "Jiang Hua", "Cai Wen", "Jia Lei", "Ding Ping", "Wei Lan", "Xue Feng", "Ye Zi", "Yan Bing",
    "Yu Hang", "Du Juan", "Shen Yi", "Lu Xin", "Fan Jing", "Fu Qiang", "Qin Yu", "Jin Hao",
    "Zou Li", "Shi Yan", "Kong Ming", "Tan Jun", "Lu Yao", "Ren Jie", "Hao Ran", "Qiao Na",
)  # fmt: skip
COMPANIES = (
    ("Jinhai Renovation Co.", "Qian Dong"),
    ("Lanting Hotel", "Hou Yan"),
    ("Greenfield Property Management", "Gu Cheng"),
    ("Sunrise Kitchen Studio", "Mo Li"),
)
# profile: (number of customers, orders (min, max), days ago of the orders as fractions
# of the span or days, product pool)
PROFILES = (
    ("vip", 4),
    ("gold", 7),
    ("silver", 12),
    ("standard", 8),
    ("new", 8),
    ("at_risk", 7),
    ("lost", 5),
)
# product xml id (without module), price, quantity range
POOLS = {
    "big": (
        ("product_demo_fridge", 6800, (1, 2)),
        ("product_demo_washer", 4200, (1, 2)),
        ("product_demo_aircon", 5200, (1, 3)),
        ("product_demo_tv", 8900, (1, 1)),
        ("product_demo_tiles", 95, (80, 300)),
        ("product_demo_install", 300, (1, 4)),
    ),
    "mid": (
        ("product_demo_washer", 4200, (1, 1)),
        ("product_demo_hood", 2600, (1, 1)),
        ("demo_product_fridge", 3999, (1, 1)),
        ("product_demo_tiles", 95, (20, 60)),
        ("product_demo_faucet", 480, (1, 2)),
        ("product_demo_install", 300, (1, 2)),
    ),
    "small": (
        ("product_demo_faucet", 480, (1, 1)),
        ("product_demo_paint", 260, (1, 4)),
        ("demo_product_tile", 129, (2, 6)),
        ("product_demo_install", 300, (1, 1)),
    ),
}
PROFILE_POOL = {
    "vip": "big",
    "gold": "mid",
    "silver": "small",
    "standard": "small",
    "new": "mid",
    "at_risk": "mid",
    "lost": "small",
}

CSAT_WEIGHTS = ((5, 55), (4, 30), (3, 8), (2, 5), (1, 2))
VERIFY_CSAT_WEIGHTS = ((5, 45), (4, 35), (3, 12), (2, 6), (1, 2))
FEEDBACK = {
    5: (
        _lt("Very happy with the delivery and the installation."),
        _lt("The installer was careful and cleaned up afterwards."),
        _lt("Great service, we will come back."),
        _lt("Everything arrived on time, thank you."),
    ),
    4: (
        _lt("Good overall; the delivery window was a bit long."),
        _lt("Satisfied, the salesman was helpful."),
        _lt("Fine, but the manual is only in English."),
    ),
    3: (
        _lt("Average: we had to call twice to confirm the delivery time."),
        _lt("The product is fine but the installation was late."),
    ),
    2: (
        _lt("The delivery was two days late and nobody called."),
        _lt("The installer left the packaging everywhere."),
        _lt("Two tiles arrived cracked."),
    ),
    1: (
        _lt("Very unhappy: the fridge stopped cooling after a week."),
        _lt("Rude staff at the counter and nobody solved my problem."),
    ),
}
# category xml id -> (description, customer request, [(responsibility, root cause,
# resolution type, resolution note, compensation (min, max))])
COMPLAINTS = {
    "complaint_category_product_quality": (
        (
            _lt("The appliance makes a loud noise at night."),
            _lt("Repair it or replace it."),
        ),
        (
            _lt("The door seal came loose after two weeks."),
            _lt("A technician this week."),
        ),
        (
            _lt("Some tiles of the batch have a different shade."),
            _lt("Exchange the boxes of the wrong shade."),
        ),
        (
            (
                "product",
                _lt("Defective part from the factory."),
                "repair",
                _lt("Part replaced."),
                (0, 0),
            ),
            (
                "product",
                _lt("Batch defect, confirmed by the maker."),
                "replace",
                _lt("Replaced."),
                (0, 0),
            ),
            (
                "product",
                _lt("A batch of another shade."),
                "exchange",
                _lt("Boxes exchanged."),
                (0, 0),
            ),
            (
                "product",
                _lt("Unit dead on arrival."),
                "refund",
                _lt("Refunded at the counter."),
                (300, 900),
            ),
        ),
    ),
    "complaint_category_installation": (
        (
            _lt("The air conditioner installed yesterday leaks water on the floor."),
            _lt("A technician today."),
        ),
        (
            _lt("The range hood was mounted crooked."),
            _lt("Mount it again properly."),
        ),
        (
            (
                "installation",
                _lt("Drain pipe not sloped by the installer."),
                "repair",
                _lt("Installer came back and fixed the drain."),
                (0, 0),
            ),
            (
                "installation",
                _lt("Wrong bracket used by the subcontractor."),
                "compensation",
                _lt("Remounted; voucher for the inconvenience."),
                (100, 300),
            ),
        ),
    ),
    "complaint_category_delivery": (
        (
            _lt("Three boxes of tiles arrived broken."),
            _lt("Replace the broken boxes before the tiler comes."),
        ),
        (
            _lt("The delivery came two days late without a call."),
            _lt("An apology and the delivery fee back."),
        ),
        (
            ("logistics", "", "replace", _lt("Broken boxes replaced the next day."), (0, 0)),
            ("logistics", "", "compensation", _lt("Delivery fee refunded."), (50, 150)),
            ("logistics", "", "apology", _lt("Store manager called to apologise."), (0, 0)),
        ),
    ),
    "complaint_category_staff": (
        (
            _lt("The salesman was impatient and did not explain the warranty."),
            _lt("An apology and a clear explanation of the warranty."),
        ),
        (
            _lt("Nobody answered the phone at the store for two days."),
            _lt("A call back."),
        ),
        (
            ("staff", "", "apology", _lt("Apologised and explained the warranty terms."), (0, 0)),
            ("staff", "", "explanation", _lt("Called back and answered the questions."), (0, 0)),
        ),
    ),
    "complaint_category_price": (
        (
            _lt("Charged twice for the delivery fee."),
            _lt("Refund of the second fee."),
        ),
        (
            _lt("The promotion price was not applied at the till."),
            _lt("The difference back."),
        ),
        (
            ("staff", "", "refund", _lt("Second fee refunded at the counter."), (30, 80)),
            (
                "customer",
                "",
                "explanation",
                _lt("Promotion ended the day before: explained."),
                (0, 0),
            ),
        ),
    ),
    "complaint_category_environment": (
        (
            _lt("No parking space at the store on Saturday."),
            _lt("Better parking."),
        ),
        (
            ("unknown", "", "apology", _lt("Apologised; extra parking signposted."), (0, 0)),
        ),
    ),
    "complaint_category_after_sales": (
        (
            _lt("The washing machine shows an error code after the repair."),
            _lt("Fix it for good."),
        ),
        (
            _lt("The warranty repair was cancelled twice."),
            _lt("A firm appointment."),
        ),
        (
            (
                "product",
                _lt("Control board fault, not the pump."),
                "repair",
                _lt("Control board replaced under warranty."),
                (0, 0),
            ),
            ("staff", "", "compensation", _lt("Appointment kept; voucher given."), (100, 200)),
        ),
    ),
    "complaint_category_other": (
        (
            _lt("The invoice shows the wrong company name."),
            _lt("A corrected invoice."),
        ),
        (
            ("customer", "", "other", _lt("Invoice corrected."), (0, 0)),
        ),
    ),
}  # fmt: skip
# the texts of the demo records of demo/*.xml (XML data cannot hold a translation of a
# plain text field): written again in the chain's language when it is not English
XML_TEXTS = {
    "demo_complaint_new": {
        "description": _lt("The salesman was impatient and did not explain the warranty."),
        "customer_request": _lt("An apology and a clear explanation of the warranty."),
    },
    "demo_complaint_overdue": {
        "description": _lt("Three boxes of tiles arrived broken."),
        "customer_request": _lt("Replace the broken boxes before the tiler comes on Saturday."),
    },
    "demo_complaint_in_progress": {
        "description": _lt("The air conditioner installed yesterday leaks water on the floor."),
        "customer_request": _lt("A technician today."),
    },
    "demo_complaint_resolved": {
        "description": _lt("The fridge makes a loud noise at night."),
        "customer_request": _lt("Repair or replace the fridge."),
        "root_cause": _lt("Loose compressor mount from the factory."),
        "resolution_note": _lt("Technician fixed the compressor mount at home."),
    },
    "demo_complaint_closed": {
        "description": _lt("Charged twice for the delivery fee."),
        "customer_request": _lt("Refund of the second fee."),
        "resolution_note": _lt("Second fee refunded at the counter."),
    },
    "demo_complaint_cancelled": {"description": _lt("Registered twice by mistake.")},
    "return_visit_demo_done_happy": {
        "feedback": _lt("Delivery on time, installer was careful and tidy."),
    },
    "return_visit_demo_done_unhappy": {
        "feedback": _lt("Two tiles arrived broken and nobody called back about the replacement."),
    },
    "return_visit_demo_done_ok": {
        "feedback": _lt("Happy with the fridge; asked for the maintenance schedule."),
    },
}
# the category of a complaint opened from a visit's feedback (keyed by the English text)
FEEDBACK_CATEGORY = {
    "The delivery was two days late and nobody called.": "complaint_category_delivery",
    "The installer left the packaging everywhere.": "complaint_category_installation",
    "Two tiles arrived cracked.": "complaint_category_delivery",
    "Very unhappy: the fridge stopped cooling after a week.": "complaint_category_product_quality",
    "Rude staff at the counter and nobody solved my problem.": "complaint_category_staff",
}
ORDER_CATEGORIES = (
    ("complaint_category_product_quality", 30),
    ("complaint_category_installation", 20),
    ("complaint_category_delivery", 25),
    ("complaint_category_after_sales", 15),
    ("complaint_category_price", 10),
)
OTHER_CATEGORIES = (
    ("complaint_category_staff", 50),
    ("complaint_category_environment", 20),
    ("complaint_category_price", 15),
    ("complaint_category_other", 15),
)
# a quick resolution in the demo history is done within this many hours (a shape of the
# random timeline only: one-pass resolution is decided by the workflow, not by a clock)
QUICK_RESOLUTION_HOURS = 2.0
SEVERITIES = (("low", 20), ("medium", 50), ("high", 22), ("critical", 8))
CHANNELS = (("store", 35), ("phone", 35), ("online", 12), ("social", 6), ("email", 12))
# Complaints whose state and age (hours) are fixed, so that every state and every case
# (overdue, reopened, broken promise...) is there whatever the day; most open ones are
# within their deadlines, as in a store that works its queue.
SPECIALS = (
    (1.5, "new", {}),
    (0.5, "new", {}),
    (52, "new", {"severity": "high"}),
    (0.7, "assigned", {}),
    (2, "in_progress", {}),
    (1, "in_progress", {"severity": "critical"}),
    (100, "in_progress", {"promise_days": 1}),
    (200, "in_progress", {"reopen": True}),
    (26, "resolved", {}),
    (130, "resolved", {"promise_days": 1, "late": True}),
    (60, "cancelled", {}),
    (330, "closed", {"reopen": True}),
    (400, "closed", {"promise_days": 2, "late": True}),
    (500, "closed", {"override": True}),
)


def demo_lang(env):
    """The demo chain's language: a chain of Chinese stores speaks Chinese when it is
    installed (its customers' language, their words, the staff's notes), otherwise the
    company's language."""
    if env["res.lang"]._lang_get("zh_CN"):
        return "zh_CN"
    return env.company.partner_id.lang or "en_US"


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class DemoChain:
    """Builds the demo chain in ``env`` (without mails, tracking or subscriptions)."""

    def __init__(self, env):
        self.lang = demo_lang(env)
        self.env = env(context=dict(env.context, lang=self.lang, **NO_MAIL_CTX))
        # the customers' words and the staff's notes, in the chain's language
        self.feedback = {
            csat: tuple(self._text(t) for t in texts) for csat, texts in FEEDBACK.items()
        }
        self.feedback_category = {
            self._text(text): FEEDBACK_CATEGORY[text._source]
            for texts in FEEDBACK.values()
            for text in texts
            if text._source in FEEDBACK_CATEGORY
        }
        self.complaints = {
            category: (
                *((self._text(d), self._text(r)) for d, r in texts[:-1]),
                tuple(
                    (resp, self._text(cause), res, self._text(note), amounts)
                    for resp, cause, res, note, amounts in texts[-1]
                ),
            )
            for category, texts in COMPLAINTS.items()
        }

    def _text(self, text):
        """``text`` (a lazy translation, or "") in the chain's language."""
        return text._translate(self.lang) if text else text

    def build(self):
        """Create the demo chain once; return False when it exists already."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        if Partner.search_count([("ref", "=like", f"{DEMO_REF}%")], limit=1):
            return False
        now = fields.Datetime.now().replace(microsecond=0)
        today = now.date()
        start = today.replace(day=1) - relativedelta(months=MONTHS - 1)
        ctx = {
            "now": now,
            "today": today,
            "start": datetime.combine(start, time(8, 0)),
            "stores": self._demo_stores(),
        }
        self._demo_xml_texts()
        demo_tier_pricelists(self.env)
        customers = self._demo_customers(random.Random(SEED), ctx)
        orders = self._demo_orders(random.Random(SEED + 1), ctx, customers)
        visits = self._demo_sale_visits(random.Random(SEED + 2), ctx, orders)
        self._demo_complaints(random.Random(SEED + 3), ctx, customers, orders, visits)
        build_win_back_demo(self, random.Random(SEED + 4), ctx, orders)
        build_dispatch_demo(self.env)
        build_public_channels_demo(self.env, orders)
        self.env["crm.team"]._store_service_demo_service_requests()
        self.env["store.complaint"]._cron_escalate()
        self.env["res.partner"]._recompute_loyalty_all(full_history=True)
        demo_portal.create_demo_portal_complaints(self.env)
        create_demo_care(self.env, ctx)
        return True

    def _demo_xml_texts(self):
        """The texts of the XML demo records, in the chain's language."""
        if self.lang == "en_US":
            return
        for xmlid, texts in XML_TEXTS.items():
            record = self.env.ref(f"store_service_crm.{xmlid}", raise_if_not_found=False)
            if record:
                values = {field: self._text(text) for field, text in texts.items()}
                record.sudo().write(values)

    # ------------------------------------------------------------------
    # Stores and customers
    # ------------------------------------------------------------------
    def _demo_stores(self):
        stores = []
        for name in ("downtown", "riverside", "airport"):
            team = self.env.ref(f"store_service_crm.crm_team_store_{name}")
            stores.append((team, (team.member_ids | team.user_id).sorted("id")))
        return stores

    def _demo_customers(self, rng, ctx):
        """~50 customers: individuals and companies (with a contact person), each with a
        profile (future tier and lifecycle) and a home store."""
        profiles = [profile for profile, count in PROFILES for _i in range(count)]
        names = list(INDIVIDUALS)
        company_vals, contact_names = [], []
        for index, (company, contact) in enumerate(COMPANIES):
            company_vals.append(self._demo_partner_vals(rng, company, index, is_company=True))
            contact_names.append(contact)
        individual_vals = [
            self._demo_partner_vals(rng, name, len(COMPANIES) + index)
            for index, name in enumerate(names[: len(profiles) - len(COMPANIES)])
        ]
        Partner = self.env["res.partner"]
        companies = Partner.create(company_vals)
        contacts = Partner.create(
            [
                {
                    "name": contact,
                    "parent_id": company.id,
                    "type": "contact",
                    "email": company.email and f"{contact.lower().replace(' ', '.')}@example.com",
                    "phone": company.phone,
                }
                for company, contact in zip(companies, contact_names, strict=True)
            ]
        )
        individuals = Partner.create(individual_vals)
        # the companies are the big spenders: three VIPs and a gold customer
        company_profiles = ["vip", "vip", "vip", "gold"]
        other_profiles = list(profiles)
        for profile in company_profiles:
            other_profiles.remove(profile)
        customers = []
        for company, contact, profile in zip(companies, contacts, company_profiles, strict=True):
            customers.append(
                {
                    "partner": company,
                    "buyers": [company, contact],
                    "profile": profile,
                    "store": rng.randrange(3),
                }
            )
        for partner, profile in zip(individuals, other_profiles, strict=True):
            customers.append(
                {
                    "partner": partner,
                    "buyers": [partner],
                    "profile": profile,
                    "store": rng.randrange(3),
                }
            )
        return customers

    def _demo_partner_vals(self, rng, name, index, is_company=False):
        vals = {
            "name": name,
            "is_company": is_company,
            "ref": f"{DEMO_REF}{index + 1:03d}",
            "customer_rank": 1,
            "city": rng.choice(CITIES),
            "country_id": self.env.ref("base.cn").id,
            "phone": f"+86 139 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
            "lang": self.lang,
        }
        if is_company or rng.random() < 0.65:
            local = name.lower().replace(" ", ".").replace(",", "").rstrip(".")
            vals["email"] = f"{local}@example.com"
        if not is_company and rng.random() < 0.4:
            vals["birthdate_date"] = datetime(
                rng.randrange(1960, 2000), rng.randrange(1, 13), rng.randrange(1, 29)
            ).date()
        return vals

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------
    def _demo_order_days(self, rng, profile, span):
        """Days ago of a customer's orders, by profile."""
        if profile == "vip":
            days = [rng.randrange(0, span) for _i in range(rng.randint(24, 30))]
            days.append(rng.randrange(0, 30))
        elif profile == "gold":
            days = [rng.randrange(0, span) for _i in range(rng.randint(6, 9))]
            days.append(rng.randrange(0, 120))
        elif profile == "silver":
            days = [rng.randrange(0, 330) for _i in range(rng.randint(1, 2))]
            days.append(rng.randrange(0, 170))
        elif profile == "standard":
            days = [rng.randrange(95, 175)]
        elif profile == "new":
            days = [rng.randrange(1, 85) for _i in range(rng.randint(1, 2))]
        elif profile == "at_risk":
            days = [rng.randrange(190, span) for _i in range(rng.randint(1, 3))]
            days.append(rng.randrange(190, 340))
        else:  # lost
            days = [rng.randrange(372, max(span, 373)) for _i in range(rng.randint(1, 3))]
        return sorted(set(days), reverse=True)

    def _demo_order_datetime(self, rng, ctx, days_ago):
        moment = datetime.combine(ctx["today"] - timedelta(days=days_ago), time(1, 0)) + timedelta(
            minutes=rng.randrange(0, 11 * 60)
        )
        if moment >= ctx["now"]:
            moment = ctx["now"] - timedelta(minutes=rng.randrange(5, 60))
        return max(moment, ctx["start"])

    def _demo_store(self, rng, customer):
        """Customers mostly buy in their home store."""
        return customer["store"] if rng.random() < 0.85 else rng.randrange(3)

    def _demo_order_vals(self, rng, ctx, customer, moment, store_index, state="sale"):
        team, members = ctx["stores"][store_index]
        pool = POOLS[PROFILE_POOL[customer["profile"]]]
        lines = []
        for xmlid, price, (low, high) in rng.sample(pool, rng.choice((1, 1, 2, 2, 3))):
            product = self.env.ref(f"store_service_crm.{xmlid}")
            lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": rng.randint(low, high),
                        "price_unit": price,
                        "tax_id": [Command.clear()],
                    }
                )
            )
        return {
            "partner_id": rng.choice(customer["buyers"]).id,
            "team_id": team.id,
            "user_id": rng.choice(members).id,
            "date_order": moment,
            "state": state,
            "order_line": lines,
        }

    def _demo_orders(self, rng, ctx, customers):
        """A few hundred confirmed orders (and a few cancelled ones) over 14 months, created
        month by month so that the tier history reads like the chain's past."""
        planned = self._demo_plan_orders(rng, ctx, customers)
        orders = self._demo_create_orders(rng, ctx, planned)
        self._demo_backdate_orders(orders)
        return orders

    def _demo_plan_orders(self, rng, ctx, customers):
        """(moment, customer, state, store index) of every order, in time order."""
        span = (ctx["today"] - ctx["start"].date()).days
        planned = []  # (moment, customer, state, store index)
        for customer in customers:
            for days_ago in self._demo_order_days(rng, customer["profile"], span):
                moment = self._demo_order_datetime(rng, ctx, days_ago)
                planned.append((moment, customer, "sale", self._demo_store(rng, customer)))
        regulars = [c for c in customers if c["profile"] in ("vip", "gold", "silver")]
        for _i in range(18):
            moment = self._demo_order_datetime(rng, ctx, rng.randrange(0, span))
            customer = rng.choice(regulars)
            planned.append((moment, customer, "cancel", self._demo_store(rng, customer)))
        # every store sells every month, even on the first day of a month
        top_up_rng = random.Random(SEED + 10)
        big = [c for c in customers if c["profile"] in ("vip", "gold")]
        for month in range(MONTHS):
            first = ctx["start"].date() + relativedelta(months=month)
            last = min(first + relativedelta(months=1, days=-1), ctx["today"])
            for store_index in range(3):
                if any(
                    first <= m.date() <= last and s == "sale" and i == store_index
                    for m, _c, s, i in planned
                ):
                    continue
                low = max(datetime.combine(first, time(0, 0)), ctx["start"])
                high = min(datetime.combine(last, time(23, 0)), ctx["now"])
                moment = low + (high - low) * top_up_rng.uniform(0.1, 0.9)
                planned.append((moment, top_up_rng.choice(big), "sale", store_index))
        planned.sort(key=lambda item: item[0])
        return planned

    def _demo_create_orders(self, rng, ctx, planned):
        """Create the planned orders month by month; the tier changes they cause are dated
        at the end of their month."""
        SaleOrder = self.env["sale.order"]
        History = self.env["store.loyalty.tier.history"]
        orders = SaleOrder.browse()
        by_month = {}
        for item in planned:
            by_month.setdefault((item[0].year, item[0].month), []).append(item)
        for month_key in sorted(by_month):
            batch = by_month[month_key]
            last_history = History.search([], order="id desc", limit=1).id or 0
            last_message = self._demo_last_id("mail_message")
            # created as quotations then confirmed or cancelled in one write each: a line
            # added to a confirmed order would be logged on its chatter one by one
            batch_orders = SaleOrder.create(
                [self._demo_order_vals(rng, ctx, c, m, i, state="draft") for m, c, _s, i in batch]
            )
            by_state = {"sale": [], "cancel": []}
            for order, (_m, _c, state, _i) in zip(batch_orders, batch, strict=True):
                by_state[state].append(order.id)
            for state, ids in by_state.items():
                SaleOrder.browse(ids).write({"state": state})
            # what the cron triggered by these orders does after their commit
            self.env["store.loyalty.pending"]._cron_recompute_pending()
            orders |= batch_orders
            # the tier changes these orders caused happened at the end of that month
            self.env.flush_all()
            moment = min(max(item[0] for item in batch) + timedelta(hours=2), ctx["now"])
            self.env.cr.execute(
                SQL(
                    """UPDATE store_loyalty_tier_history SET date = %(m)s, create_date = %(m)s,
                              write_date = %(m)s WHERE id > %(h)s""",
                    m=moment,
                    h=last_history,
                )
            )
            self.env.cr.execute(
                SQL(
                    """UPDATE mail_message SET date = %(m)s, create_date = %(m)s
                        WHERE id > %(last)s AND model = 'res.partner'""",
                    m=moment,
                    last=last_message,
                )
            )
        return orders

    def _demo_backdate_orders(self, orders):
        """The orders were created when they were placed, their customers with the first."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE sale_order SET create_date = date_order, write_date = date_order
                    WHERE id = ANY(%(ids)s)""",
                ids=orders.ids,
            )
        )
        self.env.cr.execute(
            SQL(
                """UPDATE sale_order_line l
                      SET create_date = o.date_order, write_date = o.date_order
                     FROM sale_order o WHERE o.id = l.order_id AND o.id = ANY(%(ids)s)""",
                ids=orders.ids,
            )
        )
        # the customers were registered with their first order
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p SET create_date = f.first_date - interval '1 hour'
                     FROM (SELECT cp.commercial_partner_id AS id, min(o.date_order) AS first_date
                             FROM sale_order o JOIN res_partner cp ON cp.id = o.partner_id
                            WHERE o.id = ANY(%(ids)s) GROUP BY 1) f
                    WHERE p.commercial_partner_id = f.id""",
                ids=orders.ids,
            )
        )
        self.env.invalidate_all()

    def _demo_last_id(self, table):
        self.env.cr.execute(SQL("SELECT COALESCE(max(id), 0) FROM %s", SQL.identifier(table)))
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # Return visits after purchase
    # ------------------------------------------------------------------
    def _demo_done_moment(self, rng, ctx, day):
        """A moment of the working day ``day`` (10:00-19:00 in China); callers pass past days."""
        return datetime.combine(day, time(2, 0)) + timedelta(minutes=rng.randrange(0, 9 * 60))

    def _demo_score(self, rng, visits, weights):
        """Give each of ``visits`` a CSAT, mostly an NPS and often a comment (grouped writes)."""
        groups = {}
        for visit in visits:
            csat = _weighted(rng, weights)
            nps = None
            if rng.random() < 0.75:
                nps = {5: (9, 10), 4: (7, 9), 3: (5, 7), 2: (2, 6), 1: (0, 4)}[csat]
                nps = rng.randint(*nps)
            feedback = rng.choice(self.feedback[csat]) if csat <= 3 or rng.random() < 0.5 else False
            groups.setdefault((csat, nps, feedback), []).append(visit.id)
        Visit = self.env["store.return.visit"]
        for (csat, nps, feedback), ids in groups.items():
            vals = {"csat_score": csat}
            if nps is not None:
                vals.update(nps_score=nps, nps_given=True)
            if feedback:
                vals["feedback"] = feedback
            Visit.browse(ids).write(vals)
        return groups

    def _demo_sale_visits(self, rng, ctx, orders):
        """The rule "call 3 days after purchase" plans a visit per confirmed order; the past
        ones were done (scored, some by the customers themselves through the rating link),
        unreachable or cancelled."""
        confirmed = orders.filtered(lambda o: o.state == "sale")
        Rule = self.env["store.return.visit.rule"].sudo()
        visits = Rule._generate_for_orders(confirmed).sorted(lambda v: (v.scheduled_date, v.id))
        today = ctx["today"]
        done, unreachable, cancelled, self_rated = (visits.browse() for _i in range(4))
        for visit in visits:
            age = (today - visit.scheduled_date).days
            if age < 0:  # planned
                continue
            draw = rng.random()
            if age == 0:
                continue
            if age <= 2:
                if draw < 0.5:
                    done |= visit
            elif draw < 0.84:
                if rng.random() < 0.07 and visit.partner_id.email and age < 200:
                    self_rated |= visit
                else:
                    done |= visit
            elif draw < 0.93:
                unreachable |= visit
            elif draw < 0.96:
                cancelled |= visit
            elif age > 30:
                done |= visit
        moments = {
            visit.id: self._demo_done_moment(rng, ctx, visit.scheduled_date) for visit in done
        }
        self._demo_score(rng, done, CSAT_WEIGHTS)
        # the to-dos of the last month are marked done (a chatter note each), older ones
        # are just gone
        done.filtered(lambda v: (today - v.scheduled_date).days > 30).activity_ids.unlink()
        done.action_done()
        for visit in self_rated:
            csat = _weighted(rng, CSAT_WEIGHTS)
            nps = rng.randint(*{5: (9, 10), 4: (7, 9), 3: (5, 7), 2: (2, 6), 1: (0, 4)}[csat])
            token = visit._rating_get_access_token()
            rating = visit.rating_ids.filtered(lambda r, t=token: r.access_token == t)
            visit._apply_customer_rating(
                rating, csat, nps=nps, feedback=rng.choice(self.feedback[csat])
            )
            moments[visit.id] = self._demo_done_moment(
                rng, ctx, visit.scheduled_date + timedelta(days=rng.randrange(0, 2))
            )
        unreachable.write({"state": "unreachable", "attempt_count": 3})
        unreachable.activity_ids.unlink()
        cancelled.action_cancel()
        self._demo_backdate_visits(moments)
        return done | self_rated

    def _demo_backdate_visits(self, moments, scheduled=None):
        """Write the dates the visits were done (and planned) with one statement each."""
        self.env.flush_all()
        scheduled = scheduled or {}
        if scheduled:
            self.env.cr.execute(
                SQL(
                    """UPDATE store_return_visit v SET scheduled_date = s.day,
                              create_date = s.day - interval '2 days'
                         FROM unnest(%(ids)s::int[], %(days)s::date[]) AS s(id, day)
                        WHERE v.id = s.id""",
                    ids=list(scheduled),
                    days=list(scheduled.values()),
                )
            )
            self.env.cr.execute(
                SQL(
                    """UPDATE mail_activity a SET date_deadline = v.scheduled_date
                         FROM store_return_visit v
                        WHERE a.res_model = 'store.return.visit' AND a.res_id = v.id
                          AND v.id = ANY(%(ids)s)""",
                    ids=list(scheduled),
                )
            )
        if moments:
            self.env.cr.execute(
                SQL(
                    """UPDATE store_return_visit v SET date_done = s.moment, write_date = s.moment
                         FROM unnest(%(ids)s::int[], %(moments)s::timestamp[]) AS s(id, moment)
                        WHERE v.id = s.id""",
                    ids=list(moments),
                    moments=list(moments.values()),
                )
            )
            self.env.cr.execute(
                SQL(
                    """UPDATE mail_message m SET date = s.moment, create_date = s.moment
                         FROM unnest(%(ids)s::int[], %(moments)s::timestamp[]) AS s(id, moment)
                        WHERE m.model = 'store.return.visit' AND m.res_id = s.id""",
                    ids=list(moments),
                    moments=list(moments.values()),
                )
            )
            self.env.cr.execute(
                SQL(
                    """UPDATE rating_rating r SET write_date = s.moment, create_date = s.moment
                         FROM unnest(%(ids)s::int[], %(moments)s::timestamp[]) AS s(id, moment)
                        WHERE r.res_model = 'store.return.visit' AND r.res_id = s.id""",
                    ids=list(moments),
                    moments=list(moments.values()),
                )
            )
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    # Complaints
    # ------------------------------------------------------------------
    def _demo_target(self, rng, age_hours):
        """(state, options) of a complaint of that age."""
        draw = rng.random()
        if age_hours >= 21 * 24:
            table = (
                (0.80, "closed", {}),
                (0.88, "closed", {"reopen": True}),
                (0.91, "resolved", {}),
                (0.95, "cancelled", {}),
                (1.00, "closed", {"override": True}),
            )
        elif age_hours >= 6 * 24:
            table = (
                (0.40, "closed", {}),
                (0.70, "resolved", {}),
                (0.85, "in_progress", {}),
                (0.90, "in_progress", {"reopen": True}),
                (0.95, "cancelled", {}),
                (1.00, "assigned", {}),
            )
        elif age_hours >= 24:
            # a store works its queue: a day-old complaint is handled; the open ones
            # that are late are the SPECIALS (every overdue case, whatever the day)
            table = (
                (0.50, "closed", {}),
                (0.90, "resolved", {}),
                (1.00, "cancelled", {}),
            )
        elif age_hours >= 8:
            # answered within the working day; some already resolved
            table = (
                (0.60, "in_progress", {}),
                (0.95, "resolved", {}),
                (1.00, "cancelled", {}),
            )
        else:
            table = (
                (0.25, "new", {}),
                (0.45, "assigned", {}),
                (0.70, "in_progress", {}),
                (0.95, "resolved", {}),
                (1.00, "cancelled", {}),
            )
        state, options = next((s, o) for limit, s, o in table if draw < limit)
        options = dict(options)
        if state != "cancelled" and rng.random() < 0.25:
            options.setdefault("promise_days", rng.randint(1, 4))
            options.setdefault("late", rng.random() < 0.3)
        return state, options

    def _demo_complaint_spec(self, rng, ctx, partner, order, received, categories, **extra):
        category = extra.pop("category", None) or _weighted(rng, categories)
        texts = self.complaints[category]
        description, request = rng.choice(texts[:-1])
        if order:
            team = order.team_id
        else:
            team = rng.choice(ctx["stores"])[0]
        members = next((m for t, m in ctx["stores"] if t == team), team.user_id)
        age_hours = (ctx["now"] - received).total_seconds() / 3600
        state, options = extra.pop("target", None) or self._demo_target(rng, age_hours)
        vals = {
            "partner_id": partner.id,
            "sale_order_id": order.id if order else False,
            "product_id": rng.choice(order.order_line.product_id).id if order else False,
            "team_id": team.id,
            "channel": _weighted(rng, CHANNELS),
            "category_id": self.env.ref(f"store_service_crm.{category}").id,
            "severity": options.get("severity") or _weighted(rng, SEVERITIES),
            "description": extra.pop("description", None) or description,
            "customer_request": request,
            "date_received": received,
            **extra,
        }
        if state != "new":
            vals["user_id"] = rng.choice(members).id
        if state in ("resolved", "closed") or options.get("reopen"):
            responsibility, cause, resolution, note, (low, high) = rng.choice(texts[-1])
            vals.update(
                responsibility=responsibility,
                root_cause=cause or False,
                resolution_type=resolution,
                resolution_note=note,
                compensation_amount=rng.randrange(low, high + 1, 10) if high else 0,
            )
        return {"vals": vals, "state": state, "options": options, "age": age_hours}

    def _demo_complaint_specs(self, rng, ctx, customers, orders, scored_visits):
        now = ctx["now"]
        confirmed = orders.filtered(lambda o: o.state == "sale").sorted(
            lambda o: (o.date_order, o.id)
        )
        specs = []
        for order in confirmed:
            if rng.random() >= 0.25:
                continue
            received = order.date_order + timedelta(
                days=rng.randint(1, 25), minutes=rng.randrange(0, 600)
            )
            if received < now - timedelta(hours=8):
                specs.append(
                    self._demo_complaint_spec(
                        rng, ctx, order.partner_id, order, received, ORDER_CATEGORIES
                    )
                )
        buyers = [customer["buyers"][-1] for customer in customers]
        minutes = int((now - ctx["start"]).total_seconds() // 60) - 600
        for _i in range(18):
            received = ctx["start"] + timedelta(minutes=rng.randrange(0, minutes))
            specs.append(
                self._demo_complaint_spec(
                    rng, ctx, rng.choice(buyers), None, received, OTHER_CATEGORIES
                )
            )
        # unhappy customers of a return visit: a complaint opened from the visit
        for visit in scored_visits.filtered(lambda v: 0 < v.csat_score <= 2).sorted("id"):
            received = visit.date_done + timedelta(minutes=rng.randrange(20, 180))
            if rng.random() < 0.4 or received > now - timedelta(hours=1):
                continue
            specs.append(
                self._demo_complaint_spec(
                    rng,
                    ctx,
                    visit.partner_id,
                    visit.sale_order_id,
                    received,
                    ORDER_CATEGORIES,
                    category=self.feedback_category.get(visit.feedback),
                    description=visit.feedback,
                    origin_visit_id=visit.id,
                    channel={"visit": "store"}.get(visit.channel, "phone"),
                )
            )
        recent = confirmed.filtered(lambda o: o.date_order < now - timedelta(days=25))[-40:]
        for age, state, options in SPECIALS:
            order = rng.choice(recent)
            specs.append(
                self._demo_complaint_spec(
                    rng,
                    ctx,
                    order.partner_id,
                    order,
                    now - timedelta(hours=age),
                    ORDER_CATEGORIES,
                    target=(state, dict(options)),
                )
            )
        return specs

    def _demo_timeline(self, rng, ctx, spec, complaint):
        """Hours after reception of the first response, first resolution, reopening and
        final resolution; the closing moment; the promise."""
        received = complaint.date_received
        hours = {"received": 0.0}
        response_h = (complaint.response_deadline - received).total_seconds() / 3600
        resolution_h = (complaint.resolution_deadline - received).total_seconds() / 3600
        quick_h = QUICK_RESOLUTION_HOURS
        state, options = spec["state"], spec["options"]
        reopen = options.get("reopen")
        if state not in ("new", "cancelled", "assigned"):
            quick = not reopen and state != "in_progress" and rng.random() < 0.62
            if quick:
                resolved = rng.uniform(0.25, quick_h * 0.95)
            elif rng.random() < 0.82:
                resolved = rng.uniform(quick_h * 1.1, max(resolution_h * 0.95, quick_h * 1.5))
            else:
                resolved = max(resolution_h, quick_h) * rng.uniform(1.15, 2.5)
            if options.get("late"):
                resolved = max(resolved, (options["promise_days"] + 1) * 24 + 2)
            if rng.random() < 0.88:
                hours["response"] = rng.uniform(0.05, 0.9) * min(response_h, resolved)
            else:
                hours["response"] = min(resolved * 0.9, response_h * rng.uniform(1.1, 2.0))
            if reopen:
                hours["first_resolved"] = resolved
                hours["reopened"] = resolved + rng.uniform(24, 96)
                if state in ("resolved", "closed"):
                    hours["resolved"] = hours["reopened"] + rng.uniform(4, 48)
            elif state in ("resolved", "closed"):
                hours["resolved"] = resolved
            last = max(hours.values())
            if last > spec["age"] * 0.9:
                factor = spec["age"] * 0.9 / last
                hours = {key: value * factor for key, value in hours.items()}
        moments = {key: received + timedelta(hours=value) for key, value in hours.items()}
        if state == "closed":
            verified_day = moments["resolved"].date() + timedelta(days=2)
            verified = self._demo_done_moment(rng, ctx, verified_day)
            if options.get("override"):
                verified = moments["resolved"] + timedelta(days=4, hours=rng.uniform(1, 6))
            closed = verified + timedelta(hours=rng.uniform(0.5, 6))
            if verified.date() < ctx["today"] and closed < ctx["now"] - timedelta(minutes=30):
                moments.update(verified=verified, closed=closed)
            else:
                spec["state"] = "resolved"
        promise_days = options.get("promise_days")
        if promise_days:
            if "resolved" in moments and not options.get("late"):
                promised = max(moments["resolved"].date(), received.date()) + timedelta(
                    days=rng.randint(0, 2)
                )
            else:
                promised = received.date() + timedelta(days=promise_days)
            moments["promised"] = promised
        return moments

    def _demo_complaints(self, rng, ctx, customers, orders, scored_visits):
        """Complaints over the 14 months, taken through the workflow actions, then dated."""
        specs = self._demo_complaint_specs(rng, ctx, customers, orders, scored_visits)
        specs.sort(key=lambda spec: spec["vals"]["date_received"])
        Complaint = self.env["store.complaint"]
        # only the complaints of the last two weeks had their customer emails
        recent = ctx["now"] - timedelta(days=14)
        old_specs = [spec for spec in specs if spec["vals"]["date_received"] < recent]
        quiet = Complaint.with_context(store_complaint_no_customer_mail=True).create(
            [spec["vals"] for spec in old_specs]
        )
        complaints = quiet + Complaint.create([spec["vals"] for spec in specs[len(old_specs) :]])
        timelines = {}
        for spec, complaint in zip(specs, complaints, strict=True):
            timelines[complaint.id] = self._demo_timeline(rng, ctx, spec, complaint)
            spec["complaint"] = complaint
            if spec["vals"].get("origin_visit_id"):
                Complaint.env["store.return.visit"].browse(spec["vals"]["origin_visit_id"]).write(
                    {"complaint_id": complaint.id}
                )
        self._demo_complaint_workflow(rng, ctx, specs, quiet, timelines)
        self._demo_backdate_complaints(ctx, complaints, timelines)

    def _demo_complaint_workflow(self, rng, ctx, specs, quiet, timelines):
        """Take each complaint to its target state through the workflow actions (``quiet``:
        the old complaints, whose customers get no mail)."""
        Complaint = self.env["store.complaint"]

        def having(*states, **options):
            """The complaints headed for these states; in the context without customer
            mails for the old ones (the workflow actions of a recordset run on each part)."""
            result = Complaint.browse()
            for spec in specs:
                if spec["state"] in states and all(
                    bool(spec["options"].get(key)) == value for key, value in options.items()
                ):
                    result |= spec["complaint"]
            return result

        def run(records, action, kwargs=None, **context):
            for part in (records & quiet, records - quiet):
                if part:
                    part = part.with_context(**context)
                    if part & quiet:
                        part = part.with_context(store_complaint_no_customer_mail=True)
                    getattr(part, action)(**(kwargs or {}))

        handled = having("assigned", "in_progress", "resolved", "closed")
        cancelled = having("cancelled")
        cancelled_assigned = cancelled.filtered(lambda c: c.id % 2)
        run(handled | cancelled_assigned, "action_assign")
        run(having("in_progress", "resolved", "closed"), "action_start")
        resolved_once = having("resolved", "closed", reopen=False) | having(
            "in_progress", "resolved", "closed", reopen=True
        )
        run(resolved_once, "action_resolve")
        reopened = resolved_once.filtered(lambda c: timelines[c.id].get("reopened"))
        run(reopened, "action_reopen")
        run(reopened.filtered(lambda c: "resolved" in timelines[c.id]), "action_resolve")
        run(cancelled, "action_cancel", {"reason": self.env._("Registered twice by mistake.")})
        # verification: the visit planned by the rule "verify 2 days after a resolved complaint"
        to_close = having("closed", override=False)
        overridden = having("closed", override=True)
        verified_visits = to_close.return_visit_ids.filtered(
            lambda v: v.origin == "complaint" and v.state == "planned"
        )
        self._demo_score(rng, verified_visits, VERIFY_CSAT_WEIGHTS)
        verified_visits.filtered(lambda v: v.complaint_id & quiet).activity_ids.unlink()
        verified_visits.action_done()
        failed_visits = overridden.return_visit_ids.filtered(
            lambda v: v.origin == "complaint" and v.state == "planned"
        )
        failed_visits.write({"state": "unreachable", "attempt_count": 3})
        failed_visits.activity_ids.unlink()
        run(to_close, "action_close")
        run(
            overridden,
            "action_close",
            store_complaint_close_reason="Customer not reachable after three calls; the "
            "installer's report confirms the repair.",
        )
        # old resolutions never verified: the customer could not be reached
        stale = having("resolved").filtered(
            lambda c: timelines[c.id]["resolved"] < ctx["now"] - timedelta(days=14)
        )
        stale_visits = stale.return_visit_ids.filtered(lambda v: v.state == "planned")
        stale_visits.write({"state": "unreachable", "attempt_count": 3})
        stale_visits.activity_ids.unlink()

    def _demo_backdate_complaints(self, ctx, complaints, timelines):
        self.env.flush_all()
        rows = []
        visit_days, visit_moments = {}, {}
        for complaint in complaints:
            moments = timelines[complaint.id]
            last = max(value for key, value in moments.items() if isinstance(value, datetime))
            rows.append(
                (
                    complaint.id,
                    moments.get("response"),
                    moments.get("resolved"),
                    moments.get("closed"),
                    moments.get("promised"),
                    complaint.date_received,
                    last,
                )
            )
            for visit in complaint.return_visit_ids.filtered(lambda v: v.origin == "complaint"):
                resolved = (
                    moments.get("first_resolved")
                    if visit.period_key == 0 and moments.get("first_resolved")
                    else moments.get("resolved")
                )
                if not resolved:
                    continue
                visit_days[visit.id] = resolved.date() + timedelta(days=2)
                if visit.state == "done" and moments.get("verified"):
                    visit_moments[visit.id] = moments["verified"]
        ids, responses, resolutions, closings, promises, receptions, lasts = zip(*rows, strict=True)
        self.env.cr.execute(
            SQL(
                """
                UPDATE store_complaint c
                   SET date_first_response = t.response, date_resolved = t.resolved,
                       date_closed = t.closed, promised_date = t.promised,
                       create_date = t.received, write_date = t.last
                  FROM unnest(%(ids)s::int[], %(responses)s::timestamp[],
                              %(resolutions)s::timestamp[], %(closings)s::timestamp[],
                              %(promises)s::date[], %(receptions)s::timestamp[],
                              %(lasts)s::timestamp[])
                       AS t(id, response, resolved, closed, promised, received, last)
                 WHERE c.id = t.id
                """,
                ids=list(ids),
                responses=list(responses),
                resolutions=list(resolutions),
                closings=list(closings),
                promises=list(promises),
                receptions=list(receptions),
                lasts=list(lasts),
            )
        )
        # the chatter: the acknowledgement when received, the rest when it happened
        self.env.cr.execute(
            SQL(
                """
                UPDATE mail_message m
                   SET date = CASE WHEN m.id = f.first_id THEN c.date_received
                                   ELSE COALESCE(c.date_closed, c.date_resolved,
                                                 c.date_first_response, c.date_received) END
                  FROM store_complaint c
                  JOIN (SELECT res_id, min(id) AS first_id FROM mail_message
                         WHERE model = 'store.complaint' AND res_id = ANY(%(ids)s)
                      GROUP BY res_id) f ON f.res_id = c.id
                 WHERE m.model = 'store.complaint' AND m.res_id = c.id
                """,
                ids=list(ids),
            )
        )
        self._demo_backdate_visits(visit_moments, scheduled=visit_days)
        Complaint = self.env["store.complaint"]
        self.env.add_to_compute(Complaint._fields["promise_status"], complaints)
        complaints.flush_recordset(["promise_status"])


class CrmTeam(models.Model):
    # The demo file's entry point on an existing model: no model of its own.
    _inherit = "crm.team"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _store_service_create_demo_chain(self):
        """Demo data only (demo/demo_chain_demo.xml): create the demo chain once; return
        False when it exists already."""
        return DemoChain(self.env).build()
