"""``store.return.visit.nps_given``: set whenever an NPS was given, 0 included.

Before 18.0.2.0.0 the flag was set only for a truthy score written through the
API or the list (the rating page and an explicit flag set it for a 0 too). Every
stored score above 0 is an answer: set the flag there. A stored 0 without the
flag cannot be told apart from "not asked" (0 was the default of every visit),
so it stays "not answered": counting every default 0 as the strongest detractor
would invent thousands of answers. A 0 with the flag already set stays an answer.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """UPDATE store_return_visit
              SET nps_given = TRUE
            WHERE nps_score > 0 AND nps_given IS NOT TRUE"""
    )
