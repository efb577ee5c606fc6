{
    "name": "Store Service CRM",
    "summary": "Customer service for retail stores: loyalty tiers, complaints, "
    "return visits and satisfaction KPIs",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Service",
    "website": "https://github.com/store-service-crm/store_service_crm",
    "author": "store_service_crm developers",
    "license": "LGPL-3",
    "depends": ["sale_management", "contacts", "mail", "rating"],
    "data": [
        "security/store_service_security.xml",
        "security/ir.model.access.csv",
        "data/store_loyalty_tier_data.xml",
        "data/ir_cron_data.xml",
        "views/store_loyalty_tier_views.xml",
        "views/store_loyalty_tier_history_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_team_demo.xml",
        "demo/loyalty_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "store_service_crm/static/tests/tours/**/*",
        ],
    },
    "application": True,
}
