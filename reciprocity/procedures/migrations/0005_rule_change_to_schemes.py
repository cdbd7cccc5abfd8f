# The rules' change log now belongs to schemes (schemes 0003, which keeps the table
# procedures_rulechange): forget the model here without dropping its table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0004_step_assignee'),
        ('schemes', '0003_rule_change_from_procedures'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='RuleChange')],
            database_operations=[],
        ),
    ]
