from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import check_not_blank


class StoreGreetingDate(models.Model):
    """A date on which customers are greeted (a festival, a store anniversary).

    Every year on ``month``/``day``, or only in ``year`` for festivals whose date
    moves (the lunar calendar's Spring Festival and Mid-Autumn Festival: one record
    per year). 29 February falls on 28 February in other years.
    """

    _name = "store.greeting.date"
    _description = "Greeting Date"
    _order = "month, day, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    month = fields.Integer(required=True, default=1)
    day = fields.Integer(required=True, default=1)
    year = fields.Integer(
        help="Only in this year (a festival of the lunar calendar); 0: every year."
    )

    @api.constrains("name")
    def _check_name(self):
        check_not_blank(self, ["name"])

    @api.constrains("month", "day", "year")
    def _check_date(self):
        for greeting in self:
            if greeting.year and not 2000 <= greeting.year <= 2999:
                raise ValidationError(
                    self.env._("The year of a greeting date is between 2000 and 2999, or 0.")
                )
            try:
                # 2000 is a leap year: 29 February is a valid date every year
                date(greeting.year or 2000, greeting.month, greeting.day)
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "%(day)s/%(month)s is not a date of the calendar.",
                        day=greeting.day,
                        month=greeting.month,
                    )
                ) from None
