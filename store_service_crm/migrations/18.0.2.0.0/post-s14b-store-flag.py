"""A store is a sales team marked as a store (``crm.team.is_store``, new in 18.0.2.0.0).

Before, every sales team was offered, ranked and printed as a store. The teams that
already work as stores are marked: those with complaints, and those whose leader or
an active member is a store user (not a store manager: managers sit in the "Sales"
team too). Return visits do not count: the visit rules filed them in the team of the
order, "Sales" included. Other sales teams ("Sales", "Pre-Sales", ...) stay unmarked;
a manager can tick "Store" on the team form.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        WITH store_users AS (
            SELECT rel.uid
              FROM res_groups_users_rel rel
              JOIN ir_model_data d ON d.res_id = rel.gid
                                  AND d.model = 'res.groups'
                                  AND d.module = 'store_service_crm'
                                  AND d.name = 'group_store_service_user'
             WHERE rel.uid NOT IN (
                    SELECT mrel.uid
                      FROM res_groups_users_rel mrel
                      JOIN ir_model_data md ON md.res_id = mrel.gid
                                           AND md.model = 'res.groups'
                                           AND md.module = 'store_service_crm'
                                           AND md.name = 'group_store_service_manager'
             )
        )
        UPDATE crm_team team
           SET is_store = TRUE
         WHERE team.is_store IS NOT TRUE
           AND (
                EXISTS (SELECT 1 FROM store_complaint c WHERE c.team_id = team.id)
             OR team.user_id IN (SELECT uid FROM store_users)
             OR EXISTS (
                    SELECT 1
                      FROM crm_team_member m
                     WHERE m.crm_team_id = team.id
                       AND m.active
                       AND m.user_id IN (SELECT uid FROM store_users)
                )
           )
        """
    )
    _logger.info("Store flag: %s sales team(s) marked as stores", cr.rowcount)
