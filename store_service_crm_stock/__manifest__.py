{
    "name": "Store Service CRM - Returns and replacements through stock",
    "summary": "Return the goods of a complaint, deliver a replacement and refund by "
    "credit note, with Odoo's own pickings and reversals",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Service",
    "website": "https://github.com/store-service-crm/store_service_crm",
    "author": "store_service_crm developers",
    "license": "LGPL-3",
    "depends": ["store_service_crm", "sale_stock"],
    "data": [
        "views/store_complaint_views.xml",
        "views/stock_picking_views.xml",
        "security/ir.model.access.csv",
        "security/store_lot_defect_security.xml",
        "data/store_lot_defect_data.xml",
        "views/store_lot_defect_views.xml",
    ],
    "demo": ["demo/store_service_stock_demo.xml"],
    "auto_install": True,
    "installable": True,
}
