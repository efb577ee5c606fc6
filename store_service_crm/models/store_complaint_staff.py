# pylint: disable=no-member
"""The staff a complaint is about: a user, or a free name with a type (own staff,
promoter, vendor staff); a staff-attitude complaint about someone plans a coaching
activity for the store leader."""

from odoo import api, fields, models

INVOLVED_TYPES = [
    ("own_staff", "Own staff"),
    ("promoter", "Promoter"),
    ("vendor_staff", "Vendor staff"),
]
STAFF_CATEGORY_XMLID = "store_service_crm.complaint_category_staff"


def schedule_coaching(records, person_of, target_of=None):
    """Plan a coaching to-do about ``person_of(record)`` for the leader of each record's
    store, on ``target_of(record)`` (default: the record itself), once per target."""
    activity_type = records.env.ref(
        "store_service_crm.mail_activity_type_staff_coaching", raise_if_not_found=False
    )
    if not activity_type:
        return
    for record in records:
        leader = record.team_id.user_id
        person = person_of(record)
        target = (target_of(record) if target_of else record).sudo()
        if (
            not leader
            or not person
            or not target
            or target.activity_ids.filtered(lambda a, t=activity_type: a.activity_type_id == t)
        ):
            continue
        env = record.with_context(lang=leader.lang or records.env.lang).env
        target.activity_schedule(
            activity_type_id=activity_type.id,
            summary=env._("Coach %(person)s", person=person),
            user_id=leader.id,
        )


class StoreComplaint(models.Model):
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    involved_user_id = fields.Many2one(
        "res.users",
        string="About (User)",
        index="btree_not_null",
        tracking=True,
        domain="[('share', '=', False)]",
        help="The employee the complaint is about.",
    )
    involved_name = fields.Char(
        string="About (Name)",
        tracking=True,
        help="The person the complaint is about when they have no user: a promoter, a "
        "vendor's staff...",
    )
    involved_type = fields.Selection(
        INVOLVED_TYPES,
        string="Staff Type",
        tracking=True,
        help="Own staff, a promoter (临促) or the staff of a manufacturer or vendor.",
    )
    involved_person = fields.Char(
        string="Staff Involved",
        compute="_compute_involved_person",
        store=True,
        index="btree_not_null",
        help="The person the complaint is about: the user's name or the name typed.",
    )

    @api.depends("involved_user_id", "involved_name")
    def _compute_involved_person(self):
        for complaint in self:
            complaint.involved_person = (
                complaint.involved_user_id.name or (complaint.involved_name or "").strip() or False
            )

    @api.onchange("involved_user_id")
    def _onchange_involved_user_id(self):
        if self.involved_user_id and not self.involved_type:
            self.involved_type = "own_staff"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("involved_user_id") and not vals.get("involved_type"):
                vals["involved_type"] = "own_staff"
        complaints = super().create(vals_list)
        complaints._plan_coaching()
        return complaints

    def write(self, vals):
        if vals.get("involved_user_id") and "involved_type" not in vals:
            vals = dict(vals, involved_type="own_staff")
        res = super().write(vals)
        if {"involved_user_id", "involved_name", "category_id"} & vals.keys():
            self._plan_coaching()
        return res

    def _plan_coaching(self):
        """A staff-attitude complaint about someone: a coaching to-do for the store
        leader (once per complaint)."""
        category = self.env.ref(STAFF_CATEGORY_XMLID, raise_if_not_found=False)
        about = self.filtered(
            lambda c: c.involved_person and category and c.category_id == category
        )
        about._schedule_coaching()

    def _schedule_coaching(self):
        schedule_coaching(self, lambda c: c.involved_person)
