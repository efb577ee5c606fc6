"""XML-RPC: let ``None`` travel as ``<nil/>``.

``store.service.kpi.compute_kpis`` returns None for a rate without a denominator
(DESIGN.md: "never 0"). Odoo's XML-RPC marshaller refuses None, which would turn an
empty period into a server error for an integrator; ``<nil/>`` is the common XML-RPC
extension that Python's ``xmlrpc.client`` (and most clients) read as None/null. Only
responses that would otherwise fail are affected.
"""

from odoo.addons.base.controllers.rpc import OdooMarshaller


def _dump_nil(marshaller, value, write):
    # xmlrpc.client.Marshaller.dump_nil, without its allow_none switch
    write("<value><nil/></value>")


OdooMarshaller.dispatch[type(None)] = _dump_nil
