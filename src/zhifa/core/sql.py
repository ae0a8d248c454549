"""Small ORM helpers for indicators computed in SQL."""

from django.db.models import IntegerField, Subquery


class SubqueryCount(Subquery):
    """``(SELECT count(*) FROM (<subquery>))`` as an annotation: counts rows of a correlated
    subquery without GROUP BY tricks."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()
