"""Expression index on the days from filing to decision, for the cockpit's late-decision figure
(cases decided more than 90 days after filing, 行政处罚法 art. 60). PostgreSQL only: the
expression is the one ``cockpit.selectors._DaysBetween`` writes there."""

from django.db import migrations

CREATE = ("CREATE INDEX IF NOT EXISTS case_decision_elapsed ON cases_case ((decision_date - filing_date)) "
          "WHERE decision_date IS NOT NULL AND filing_date IS NOT NULL")
DROP = "DROP INDEX IF EXISTS case_decision_elapsed"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_list_order_indexes")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
