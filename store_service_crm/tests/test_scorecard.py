# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Monthly store scorecard (PDF), its wizard and the monthly email.

The data set: March 2024, store "Scorecard Store" (and another store whose figures must
never show), every expected figure worked out by hand next to it.
"""

import io
from datetime import date
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from .common import (
    complaint_through_actions,
    confirmed_order,
    make_users,
    visit_through_actions,
)

REPORT = "store_service_crm.action_report_store_scorecard"
MARCH = {"month": "2024-03"}


@tagged("post_install", "-at_install")
class TestStoreScorecard(TransactionCase):
    @classmethod
    def setUpClass(cls):
        """Two stores and a month of hand-computed figures. Long on purpose: each
        record is written out with the scorecard line it stands for."""
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tz="UTC", lang="en_US", tracking_disable=True)
        )
        cls.users = make_users(cls.env)
        cls.clerk, cls.manager = cls.users["clerk"], cls.users["manager"]
        cls.manager.email = "store.manager@example.com"
        cls.company = cls.env.company
        cls.company.write(
            {
                "kpi_target_csat": 4.8,
                "kpi_target_on_time": 90.0,
                "kpi_target_fcr": 80.0,
                "kpi_target_cost": 3.0,
                "kpi_target_response": 85.0,
                "kpi_target_returns": 3.0,
                "kpi_weight_csat": 35,
                "kpi_weight_on_time": 25,
                "kpi_weight_fcr": 20,
                "kpi_weight_cost": 20,
                "complaint_response_hours": 4.0,
                "complaint_resolution_hours": 48.0,
                "complaint_factor_medium": 1.0,
                "complaint_sla_working_hours": False,
            }
        )
        # the verification visits of resolved complaints would add to the visit figures
        cls.env["store.return.visit.rule"].search([]).active = False
        Team = cls.env["crm.team"]
        cls.store = Team.create(
            {
                "is_store": True,
                "name": "Scorecard Store",
                "company_id": cls.company.id,
                "user_id": cls.manager.id,
            }
        )
        cls.store.member_ids = cls.clerk
        cls.other_store = Team.create(
            {"is_store": True, "name": "Other Store", "company_id": cls.company.id}
        )
        Partner = cls.env["res.partner"]
        cls.p1, cls.p2 = Partner.create(
            [{"name": f"Scorecard Customer {i}", "customer_rank": 1} for i in (1, 2)]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Scorecard Widget", "type": "consu", "list_price": 1.0, "taxes_id": False}
        )
        cls.quality = cls.env.ref("store_service_crm.complaint_category_product_quality")
        cls.delivery = cls.env["store.complaint.category"].create(
            {"name": "Scorecard delivery", "code": "SCD"}
        )
        cls.staff = cls.env["store.complaint.category"].create(
            {"name": "Scorecard staff", "code": "SCS"}
        )

        # Orders of the store in March: P1 1000 + 1000, P2 2000 -> revenue 4000.
        cls._order(cls.p1, cls.store, 1000, "2024-03-03 10:00:00")
        cls._order(cls.p1, cls.store, 1000, "2024-03-20 10:00:00")
        cls._order(cls.p2, cls.store, 2000, "2024-03-21 10:00:00")

        # Complaints, registered and handled through the workflow actions at the given
        # times; SLA: answer within 4 h, resolve within 48 h of receipt (medium severity).
        # (store, category, received, resolved, [(resolved, reopened)], compensation,
        #  promised date); one-pass: resolved, never reopened
        c = cls._complaint
        # resolved in 28 h: on time, one pass, promise of the 3rd kept
        cls.c_kept = c(cls.store, cls.quality, "2024-03-02 08:00", "2024-03-03 12:00", (),
                       40.0, "2024-03-03")  # fmt: skip
        # still in progress, its deadline (the 12th) passed: overdue, promise of the 11th broken
        cls.c_open = c(cls.store, cls.delivery, "2024-03-10 08:00", None, (), 0.0,
                       "2024-03-11", user=cls.clerk)  # fmt: skip
        # resolved the 13th, reopened, resolved again the 20th: late, not one pass, promise
        # of the 15th broken
        cls.c_late = c(cls.store, cls.quality, "2024-03-12 08:00", "2024-03-20 10:00",
                       [("2024-03-13 08:00", "2024-03-14 08:00")], 0.0,
                       "2024-03-15")  # fmt: skip
        # never shown: cancelled, or another store's
        cls.c_cancelled = c(cls.store, cls.staff, "2024-03-13 08:00", None, (), 0.0,
                            "2024-03-14", cancelled="2024-03-13 09:00")  # fmt: skip
        cls.c_other = c(cls.other_store, cls.staff, "2024-03-13 08:00", None, (), 0.0,
                        "2024-03-14")  # fmt: skip

        # Visits: two done (CSAT 5 and 4), one planned and due.
        cls._visit(cls.store, "2024-03-05", "done", 5)
        cls._visit(cls.store, "2024-03-06", "done", 4)
        cls._visit(cls.store, "2024-03-20", "planned", 0)
        cls.env.invalidate_all()
        cls.Report = cls.env["ir.actions.report"]
        cls.Scorecard = cls.env["report.store_service_crm.report_store_scorecard"]

    @classmethod
    def _order(cls, partner, team, amount, date_order):
        return confirmed_order(cls.env, partner, team.id, cls.product, amount, date_order)

    @classmethod
    def _complaint(cls, team, category, received, resolved, reopened, compensation, promised,
                   cancelled=None, user=None):  # fmt: skip
        """Answered when received (an open one is in progress), resolved, reopened and
        cancelled at the given times."""
        return complaint_through_actions(
            cls.env["store.complaint"],
            {
                "partner_id": cls.p1.id,
                "team_id": team.id,
                "category_id": category.id,
                "description": "Scorecard test complaint",
                "user_id": user.id if user else False,
                "compensation_amount": compensation,
                "promised_date": promised,
            },
            received,
            responded=None if cancelled else received,
            reopened=reopened,
            resolved=resolved,
            cancelled=cancelled,
        )

    @classmethod
    def _visit(cls, team, scheduled, state, csat):
        visit = cls.env["store.return.visit"].create(
            {"partner_id": cls.p1.id, "team_id": team.id, "scheduled_date": scheduled}
        )
        return visit_through_actions(visit, state, csat)

    def _card(self, env=None, team=None):
        scorecard = (env or self.env)["report.store_service_crm.report_store_scorecard"]
        team = team or self.store
        values = scorecard._get_report_values(team.ids, data=MARCH)
        return values["cards"][team.id]

    def _html(self, env=None, team=None):
        report = (env or self.env)["ir.actions.report"]
        return report._render_qweb_html(REPORT, (team or self.store).ids, data=MARCH)[0].decode()

    # ------------------------------------------------------------------
    # Content
    # ------------------------------------------------------------------
    def test_service_score_from_the_kpis(self):
        card = self._card()
        # CSAT (5 + 4) / 2 = 4.5 -> 4.5 / 4.8 = 0.9375 of weight 35 = 32.8125
        # on time: due = 2 resolved + 1 open past its deadline, on time 1 -> 1/3;
        #   (1/3) / 0.9 = 0.37037 of weight 25 = 9.2593
        # FCR 1 of 2 resolved = 0.5 -> 0.5 / 0.8 = 0.625 of weight 20 = 12.5
        # cost 40 / 4000 = 1 % <= 3 % -> full weight 20
        # score = 32.8125 + 9.2593 + 12.5 + 20 = 74.5718
        self.assertAlmostEqual(card["score"], 74.5718, places=3)
        self.assertEqual(card["score_str"], "74.6")
        components = {c["key"]: c for c in card["components"]}
        self.assertEqual(components["csat_avg"]["value"], "4.50")
        self.assertEqual(components["csat_avg"]["attainment"], "93.8")
        self.assertEqual(components["resolution_on_time_rate"]["value"], "33.3 %")
        self.assertEqual(components["resolution_on_time_rate"]["status"], "bad")
        self.assertEqual(components["service_cost_ratio"]["value"], "1.0 %")
        self.assertEqual(components["service_cost_ratio"]["status"], "good")
        self.assertEqual(
            [c["weight"] for c in card["components"]], [35, 25, 20, 20], "weights from settings"
        )
        self.assertEqual(components["service_cost_ratio"]["attainment"], "100.0")
        # the printed attainments make the engine's score
        weighted = sum(c["weight"] * c["attainment_value"] for c in card["components"]) / 100
        self.assertAlmostEqual(weighted, card["score"])

    def test_values_match_compute_kpis(self):
        card = self._card()
        kpis = self.env["store.service.kpi"].compute_kpis(
            "2024-03-01", "2024-03-31", team_ids=self.store.ids
        )
        for key in ("service_score", "csat_avg", "resolution_on_time_rate", "complaint_count"):
            self.assertEqual(card["kpis"][key], kpis[key], key)
        rows = {row["key"]: row for row in card["rows"]}
        self.assertEqual(rows["first_contact_resolution_rate"]["value"], "50.0 %")
        self.assertEqual(rows["first_contact_resolution_rate"]["target"], "\u2265 80.0 %")
        self.assertEqual(rows["first_contact_resolution_rate"]["status"], "bad")
        self.assertEqual(rows["service_cost_ratio"]["target"], "\u2264 3.0 %")
        # 3 complaints per 3 orders -> 100 per 100 orders; no NPS asked -> "–"
        self.assertEqual(rows["complaint_rate"]["value"], "100.0")
        self.assertEqual(rows["nps"]["value"], "\u2013")
        self.assertIsNone(rows["nps"]["status"])
        # February had no data at all: the previous month column is empty
        self.assertEqual(rows["csat_avg"]["previous"], "\u2013")

    def test_sections_of_the_store(self):
        card = self._card()
        # cancelled and other-store complaints are left out
        self.assertEqual(
            [(c["name"], c["count"]) for c in card["categories"]],
            [(self.quality.display_name, 2), ("Scorecard delivery", 1)],
        )
        self.assertEqual(card["overdue"]["count"], 1)
        self.assertEqual(card["overdue"]["records"], self.c_open)
        # promised the 11th, still open; promised the 15th, resolved the 20th
        self.assertEqual(card["broken"]["records"], self.c_open | self.c_late)
        self.assertEqual((card["visits"]["done"], card["visits"]["due"]), (2, 3))
        self.assertEqual(card["visits"]["rate"], "66.7 %")
        self.assertEqual(card["month_label"], "March 2024")

    def test_trend_of_the_last_six_months(self):
        trend = self._card()["trend"]
        self.assertEqual(
            [month["label"] for month in trend],
            ["Oct 2023", "Nov 2023", "Dec 2023", "Jan 2024", "Feb 2024", "Mar 2024"],
        )
        self.assertEqual([month["current"] for month in trend], [False] * 5 + [True])
        self.assertEqual(trend[-1]["score"], "74.6")
        self.assertEqual(trend[-1]["csat"], "4.50")
        self.assertEqual(trend[0]["score"], "\u2013")

    def test_html_shows_store_score_and_lists(self):
        html = self._html()
        self.assertIn("Scorecard Store", html)
        self.assertIn("74.6", html)
        self.assertIn("March 2024", html)
        self.assertIn(self.c_open.name, html)
        self.assertIn(self.c_late.name, html)
        self.assertNotIn(self.c_other.name, html)
        self.assertNotIn(self.c_cancelled.name, html)

    def test_pdf_renders(self):
        report = self.Report.with_context(force_report_rendering=True)
        pdf, report_type = report._render_qweb_pdf(REPORT, self.store.ids, data=MARCH)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 1000)

    def test_pdf_of_several_stores_has_a_page_each(self):
        report = self.Report.with_context(force_report_rendering=True)
        stores = self.store | self.other_store
        pdf, report_type = report._render_qweb_pdf(REPORT, stores.ids, data=MARCH)
        self.assertEqual(report_type, "pdf")
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 2)

    def test_month_defaults_to_the_current_one(self):
        date_from, date_to = self.Scorecard._get_scorecard_period()
        today = fields.Date.context_today(self.Scorecard)
        self.assertEqual(date_from, today.replace(day=1))
        self.assertEqual(date_to.month, today.month)
        self.assertEqual(
            self.Scorecard._get_scorecard_period({"date_from": "2024-02-17"}),
            (date(2024, 2, 1), date(2024, 2, 29)),
        )
        self.assertEqual(
            self.Scorecard.with_context(scorecard_date="2024-03-09")._get_scorecard_period(),
            (date(2024, 3, 1), date(2024, 3, 31)),
        )

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_store_member_prints_own_store(self):
        html = self._html(env=self.env(user=self.clerk))
        self.assertIn("Scorecard Store", html)
        self.assertIn("74.6", html)

    def test_store_user_cannot_print_another_store(self):
        with self.assertRaises(AccessError):
            self._html(env=self.env(user=self.clerk), team=self.other_store)
        with self.assertRaises(AccessError):
            self._card(env=self.env(user=self.clerk), team=self.store | self.other_store)

    def test_leader_and_manager_print(self):
        leader = new_test_user(
            self.env,
            login="ssc_leader",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        self.other_store.user_id = leader
        for user in (leader, self.manager):
            html = self._html(env=self.env(user=user), team=self.other_store)
            self.assertIn("Other Store", html)

    # ------------------------------------------------------------------
    # Wizard
    # ------------------------------------------------------------------
    def test_wizard_defaults_to_own_stores_and_this_month(self):
        wizard = Form(self.env["store.scorecard.wizard"].with_user(self.clerk))
        today = fields.Date.context_today(self.Scorecard)
        self.assertEqual(wizard.month, str(today.month))
        self.assertEqual(wizard.year, today.year)
        self.assertEqual(wizard.date_from, today.replace(day=1))
        self.assertEqual(wizard.team_ids[:], self.store)
        self.assertFalse(wizard.is_manager)
        self.assertNotIn(self.other_store, wizard.allowed_team_ids[:])

    def test_wizard_manager_chooses_any_store_and_prints(self):
        wizard_form = Form(self.env["store.scorecard.wizard"].with_user(self.manager))
        self.assertTrue(wizard_form.is_manager)
        wizard_form.month = "3"
        wizard_form.year = 2024
        wizard_form.team_ids.add(self.other_store)
        self.assertEqual(wizard_form.date_to, date(2024, 3, 31))
        wizard = wizard_form.save()
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "store_service_crm.report_store_scorecard")
        self.assertEqual(action["data"]["date_from"], "2024-03-01")
        self.assertIn(self.other_store.id, action["context"]["active_ids"])
        # the web client sends the options without record ids (/report/pdf/<name>?options=)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html(action["report_name"], None, data=action["data"])[0]
            .decode()
        )
        self.assertIn(self.other_store.name, html)
        self.assertEqual(wizard.action_preview()["report_type"], "qweb-html")

    # ------------------------------------------------------------------
    # Monthly email
    # ------------------------------------------------------------------
    def _send(self, **kwargs):
        """Send with the PDF rendering mocked (the PDF is tested above); returns the logs
        and the months the report was rendered for."""
        months = []

        def fake_pdf(report_self, report_ref, res_ids=None, data=None):
            months.append(report_self.env.context.get("scorecard_date"))
            return b"%PDF-1.4 fake", "pdf"

        Report = type(self.env["ir.actions.report"])
        with patch.object(Report, "_render_qweb_pdf", fake_pdf):
            logs = self.env["store.scorecard.log"]._send_monthly_scorecards(
                month="2024-03-15", **kwargs
            )
        return logs, months

    def test_email_sent_once_per_store_and_month(self):
        logs, months = self._send()
        log = logs.filtered(lambda log: log.team_id == self.store)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.month, date(2024, 3, 1))
        self.assertNotIn(self.other_store, logs.team_id, "no leader: no email")
        self.assertEqual(set(months), {"2024-03-01"})
        mail = log.mail_id
        self.assertIn(self.manager.partner_id, mail.recipient_ids)
        self.assertIn("Scorecard Store", mail.subject)
        self.assertIn("March 2024", mail.subject)
        # named after the store and the month it reports (not the month it is sent in)
        self.assertEqual(
            mail.attachment_ids.mapped("name"), ["Scorecard - Scorecard Store - 2024-03.pdf"]
        )
        mail_count = self.env["mail.mail"].search_count([])
        # rerun: nothing sent twice
        logs_again, months_again = self._send()
        self.assertFalse(logs_again)
        self.assertFalse(months_again)
        self.assertEqual(self.env["mail.mail"].search_count([]), mail_count)

    def test_email_cron_commits_batches(self):
        with patch.object(self.env.cr, "commit") as commit:
            logs, _months = self._send(batch_size=1, commit=True)
        self.assertGreaterEqual(len(logs), 1)
        self.assertEqual(commit.call_count, len(logs))

    def test_email_cron_inactive_by_default(self):
        cron = self.env.ref("store_service_crm.ir_cron_store_scorecard_email")
        self.assertFalse(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "months"))
        self.assertEqual(cron.nextcall.day, 1)
        template = self.env.ref("store_service_crm.mail_template_store_scorecard")
        self.assertEqual(template.report_template_ids, self.env.ref(REPORT))
