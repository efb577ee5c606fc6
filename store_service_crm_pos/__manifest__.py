{
    "name": "Store Service CRM - Point of Sale",
    "summary": "Paid Point of Sale orders count in loyalty tiers, KPIs and return visits; "
    "tiers in the POS customer list; complaints from POS orders",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/store-service-crm/store_service_crm",
    "author": "store_service_crm developers",
    "license": "LGPL-3",
    "depends": ["store_service_crm", "pos_sale"],
    "data": [
        "views/pos_order_views.xml",
        "views/store_complaint_views.xml",
        "views/store_return_visit_views.xml",
    ],
    "demo": ["demo/store_service_pos_demo.xml"],
    "assets": {
        "point_of_sale._assets_pos": [
            "store_service_crm_pos/static/src/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "auto_install": True,
    "installable": True,
}
