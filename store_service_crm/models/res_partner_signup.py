"""The customer's signup type, written only when it changes (issue 18).

Every mail that notifies a customer without a user account about a portal
document (a complaint's acknowledgement, progress and resolution notices) goes
through portal's ``_notify_get_recipients_groups``, which asks auth_signup for
the customer's signup link (``signup_get_auth_param``, when the settings allow
free sign up, Odoo's default) and so calls ``signup_prepare``. auth_signup
writes ``signup_type`` there every time, even when it is already the same: an
``UPDATE res_partner`` of the customer's row that changes nothing but its
``write_date``. Under load, that row is also updated by the loyalty recompute
(after the customer's orders) and by another clerk's complaint for the same
customer; PostgreSQL's repeatable read then fails one of them with "could not
serialize access due to concurrent update", and Odoo retries the request.

The signup token is signed over the partner, its users, their last login and
the signup type, not over ``write_date``: skipping the unchanged write gives the
same token and the same link.
"""

from odoo import models


class ResPartner(models.Model):
    # One concept per file (issue 13): res.partner is extended in several files on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def signup_prepare(self, signup_type="signup"):
        # read in the caller's environment: a caller who may not write the type
        # (group-restricted field) is refused as before, not told its value
        changing = self.filtered(lambda partner: partner.signup_type != signup_type)
        # auth_signup's method, which pylint cannot see through _inherit
        return super(ResPartner, changing).signup_prepare(  # pylint: disable=no-member
            signup_type=signup_type
        )
