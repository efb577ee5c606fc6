"""Demo data of issue 16 (called once by the demo chain): a technician with today's
appointments, complaints about a promoter and about a clerk, and a compensation
waiting for a manager's approval. Through the actions, like the rest of the chain."""

from datetime import datetime, time, timedelta

import pytz

from odoo import Command, fields

TECHNICIAN_LOGIN = "matao"
OPEN_STATES = ("new", "assigned", "in_progress")


def build_dispatch_demo(env):
    downtown = env.ref("store_service_crm.crm_team_store_downtown")
    technician = _technician(env, downtown)
    Complaint = env["store.complaint"].with_context(tracking_disable=True, mail_notrack=True)
    open_complaints = Complaint.search(
        [("team_id", "=", downtown.id), ("state", "in", OPEN_STATES)],
        order="date_received desc, id",
    )
    _appointments(env, technician, open_complaints[:5])
    _staff_involved(env, Complaint)
    _approval_pending(env, Complaint.search([("state", "=", "in_progress")], order="id"))


def _technician(env, store):
    Users = env["res.users"].with_context(no_reset_password=True)
    technician = Users.search([("login", "=", TECHNICIAN_LOGIN)], limit=1)
    if not technician:
        technician = Users.create(
            {
                "name": "Ma Tao",
                "login": TECHNICIAN_LOGIN,
                "password": TECHNICIAN_LOGIN,
                "email": "ma.tao@example.com",
                "tz": "Asia/Shanghai",
                "groups_id": [
                    Command.set(
                        [
                            env.ref("base.group_user").id,
                            env.ref("store_service_crm.group_store_service_user").id,
                        ]
                    )
                ],
            }
        )
    # not a store member: a technician reads the complaints they are sent to
    return technician


def _appointments(env, technician, complaints):
    """Today's round, in Shanghai time: one finished, one on site, the rest expected."""
    tz = pytz.timezone(technician.tz or "Asia/Shanghai")
    today = fields.Date.context_today(technician.with_context(tz=tz.zone))
    for hour, complaint in zip((9, 11, 14, 16, 10), complaints, strict=False):
        day = today + timedelta(days=1) if complaint == complaints[-1] else today
        local = tz.localize(datetime.combine(day, time(hour, 0)))
        complaint.write(
            {
                "technician_id": technician.id,
                "appointment_date": local.astimezone(pytz.utc).replace(tzinfo=None),
            }
        )
        complaint.action_dispatch()
    if complaints:
        complaints[0].action_dispatch_arrive()
        complaints[0].action_dispatch_finish()
    if len(complaints) > 1:
        complaints[1].action_dispatch_arrive()


def _staff_involved(env, Complaint):
    """A promoter and a clerk whom complaints are about (a staff-attitude one plans a
    coaching for the store leader)."""
    staff = env.ref("store_service_crm.complaint_category_staff")
    complaints = Complaint.search([("state", "!=", "cancelled")], order="id")
    about_staff = complaints.filtered(lambda c: c.category_id == staff)
    others = complaints - about_staff
    promoter = (about_staff[:2] | others[:2]).sorted("id")
    promoter.write({"involved_name": "Wu Xia", "involved_type": "promoter"})
    clerk = env.ref("store_service_crm.res_users_demo_sunli")
    (about_staff[2:3] | others[2:4]).write({"involved_user_id": clerk.id})
    others[4:5].write({"involved_name": "Zhao Qiang", "involved_type": "vendor_staff"})


def _approval_pending(env, complaints):
    """A compensation above the clerk's authority, waiting for the service manager."""
    company = env.company
    if not company.complaint_service_manager_id:
        company.complaint_service_manager_id = env.ref("base.user_admin")
    candidates = complaints.filtered(
        lambda c: (
            c.user_id
            and c.user_id != c.team_id.user_id
            and not c.technician_id
            and not c.compensation_amount
            and c.with_user(c.user_id).has_access("write")
        )
    )
    if not candidates:
        return
    complaint = candidates[0]
    handler = complaint.user_id
    complaint.with_user(handler).write(
        {"compensation_amount": 1200.0, "resolution_type": "compensation"}
    )
    complaint.with_user(handler).action_request_compensation_approval()
