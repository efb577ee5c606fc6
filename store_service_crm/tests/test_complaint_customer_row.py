# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Registering a complaint leaves the customer's row alone (issue 18).

Under load, an UPDATE of the customer's ``res_partner`` row by a complaint's
registration met the loyalty recompute's and other clerks' updates of the same
row: PostgreSQL failed one transaction ("could not serialize access due to
concurrent update") and Odoo retried the request. The statements are captured
as a store clerk runs them.
"""

import re
from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ComplaintCase

# an UPDATE of res_partner, or a row lock taken on it
PARTNER_ROW_WRITE = re.compile(
    r'\bUPDATE\s+"?res_partner"?\s|\bres_partner\b.*\bFOR\s+(NO\s+KEY\s+)?UPDATE\b',
    re.IGNORECASE | re.DOTALL,
)


@tagged("post_install", "-at_install")
class TestComplaintCustomerRow(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's default (auth_signup's data): customers may sign up from the links
        # they get, so a notification prepares their signup
        cls.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        cls.ClerkComplaint = cls.env["store.complaint"].with_user(cls.clerk)

    def _register(self):
        return self.ClerkComplaint.create(
            {
                "partner_id": self.customer.id,
                "team_id": self.store.id,
                "category_id": self.category.id,
                "description": "The fridge stopped working",
            }
        )

    @contextmanager
    def _partner_row_writes(self):
        """The statements run inside the block (flushed) that update or lock a
        res_partner row."""
        statements = []
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            code = query.code if isinstance(query, SQL) else str(query)
            if PARTNER_ROW_WRITE.search(code):
                statements.append(" ".join(code.split()))
            return execute(cr, query, params, log_exceptions)

        self.env.flush_all()
        with patch("odoo.sql_db.Cursor.execute", spy):
            yield statements
            self.env.flush_all()

    def _later_request(self):
        """What the next request sees: the customer's row as an earlier transaction
        left it (its ``write_date`` before this transaction's, which the ORM sets to
        the start of the transaction, the test's all along) and an empty cache."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET write_date = write_date - interval '1 hour' WHERE id = %s",
                self.customer.id,
            )
        )
        self.env.invalidate_all()

    def _acknowledgements(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "store.complaint"),
                ("partner_ids", "in", self.customer.ids),
            ]
        )

    def test_registering_a_complaint_does_not_write_the_customer_row(self):
        self._register()  # the customer's first mail prepares their signup once
        self._later_request()
        acknowledged = self._acknowledgements()
        with self._partner_row_writes() as statements:
            complaint = self._register()
        self.assertEqual(
            len(self._acknowledgements() - acknowledged),
            1,
            "the customer still gets the acknowledgement",
        )
        self.assertTrue(complaint.exists())
        self.assertEqual(statements, [], "no UPDATE or row lock of res_partner")

    def test_the_first_mail_still_prepares_the_customer_signup(self):
        self.assertFalse(self.customer.sudo().signup_type)
        self._register()
        self.assertEqual(self.customer.sudo().signup_type, "signup")

    def test_a_password_reset_still_changes_the_signup_type(self):
        customer = self.customer.sudo()
        customer.signup_prepare()
        customer.signup_prepare(signup_type="reset")
        self.assertEqual(customer.signup_type, "reset")

    def test_a_clerk_still_cannot_prepare_a_signup(self):
        """The type is kept to Administration (a group-restricted field): a clerk who
        calls ``signup_prepare`` (a public method) is refused, even when the type
        would not change."""
        self.customer.sudo().signup_prepare()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.clerk).signup_prepare()
