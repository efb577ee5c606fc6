"""Drop the inheriting views of 18.0.1 that 18.0.2 merged and renamed.

18.0.2 keeps one inheriting view per parent view, named
``<parent>_inherit_store_service_crm``. Odoo would delete the old records only at
the end of the update, but it validates every view of a parent while loading the
new ones: an old view that still shows a field removed in 18.0.2
(``complaint_fcr_hours``) then fails the whole update. The old views hold no
data: delete them before the new ones are loaded.
"""

OLD_VIEWS = (
    "res_partner_view_form",
    "res_partner_view_form_complaint",
    "res_partner_view_form_return_visit",
    "res_partner_view_list",
    "res_partner_view_kanban",
    "res_partner_view_search",
    "sale_order_view_form",
    "sale_order_view_form_complaint",
    "sale_order_view_form_return_visit",
    "res_config_settings_view_form",
    "res_config_settings_view_form_return_visit",
    "res_config_settings_view_form_kpi",
    "store_complaint_view_form_return_visit",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """DELETE FROM ir_ui_view
            WHERE id IN (SELECT res_id FROM ir_model_data
                          WHERE module = 'store_service_crm' AND model = 'ir.ui.view'
                            AND name IN %s)""",
        [OLD_VIEWS],
    )
    cr.execute(
        """DELETE FROM ir_model_data
            WHERE module = 'store_service_crm' AND model = 'ir.ui.view' AND name IN %s""",
        [OLD_VIEWS],
    )
