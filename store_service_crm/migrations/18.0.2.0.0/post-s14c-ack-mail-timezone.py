"""The complaint acknowledgement promises its deadline in the reader's time zone.

The template is ``noupdate``: an update does not rewrite it. Only the deadline's
time zone expression is replaced, in every language of the body, and only where
the old expression is still there (a template the company rewrote is left alone).
Without a customer time zone the store's (company, assignee, team leader) is used
before UTC.
"""

OLD = "tz=object.partner_id.tz or 'UTC'"
NEW = (
    "tz=object.partner_id.tz or object.company_id.partner_id.tz or object.user_id.tz"
    " or object.team_id.user_id.tz or 'UTC'"
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE mail_template t
           SET body_html = (
                SELECT jsonb_object_agg(kv.key, replace(kv.value, %(old)s, %(new)s))
                  FROM jsonb_each_text(t.body_html) kv)
          FROM ir_model_data d
         WHERE d.module = 'store_service_crm'
           AND d.name = 'mail_template_complaint_acknowledgement'
           AND d.model = 'mail.template'
           AND d.res_id = t.id
           AND t.body_html::text LIKE %(like)s
        """,
        {"old": OLD, "new": NEW, "like": f"%{OLD}%"},
    )
