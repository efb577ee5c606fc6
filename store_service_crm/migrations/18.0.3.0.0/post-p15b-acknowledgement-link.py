"""The complaint acknowledgement mail now carries the customer's tracking link
(the portal page of the complaint). Its record is ``noupdate`` (the company may
have edited it): the link is added to its body, in every language, before the
closing "Best regards" paragraph, unless the body has it already."""

from psycopg2.extras import Json

LINK = (
    '<p style="margin: 16px 0;"><a t-att-href="object.get_base_url() + '
    'object.get_portal_url()" style="display: inline-block; padding: 8px 16px; '
    "background-color: #875A7B; color: #ffffff; text-decoration: none; "
    'border-radius: 4px;">{label}</a></p>\n    '
)
LABELS = {"zh_CN": "跟进您的投诉"}


def migrate(cr, version):
    cr.execute(
        """SELECT t.id, t.body_html FROM mail_template t
             JOIN ir_model_data d ON d.res_id = t.id AND d.model = 'mail.template'
            WHERE d.module = 'store_service_crm'
              AND d.name = 'mail_template_complaint_acknowledgement'"""
    )
    for template_id, body in cr.fetchall():
        if not body:
            continue
        changed = False
        for lang, html in body.items():
            if not html or "get_portal_url" in html:
                continue
            link = LINK.format(label=LABELS.get(lang, "Follow your complaint"))
            position = html.rfind("<p>")
            body[lang] = html[:position] + link + html[position:] if position >= 0 else html + link
            changed = True
        if changed:
            cr.execute(
                "UPDATE mail_template SET body_html = %s WHERE id = %s", (Json(body), template_id)
            )
