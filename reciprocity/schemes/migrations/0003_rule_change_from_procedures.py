# The rules' change log moves from procedures to schemes (ADR 0005, ignore 5): state only.
# The table stays procedures_rulechange (db_table), so no row is copied and no SQL runs on
# SQLite or PostgreSQL (same table, sequence, index and constraint names).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('schemes', '0002_seed_schemes'),
        # The table is created by procedures' migration: it exists before this state does.
        ('procedures', '0002_rule_change'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RuleChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('target', models.CharField(max_length=20, verbose_name='what')),
                        ('target_id', models.CharField(max_length=40)),
                        ('label', models.CharField(max_length=200, verbose_name='rule')),
                        ('action', models.CharField(max_length=20, verbose_name='change')),
                        ('before', models.JSONField(blank=True, null=True)),
                        ('after', models.JSONField(blank=True, null=True)),
                        ('occurred_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='when')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'rule change',
                        'verbose_name_plural': 'rule changes',
                        'db_table': 'procedures_rulechange',
                        'constraints': [models.CheckConstraint(condition=models.Q(('target__in', ['rule', 'suspension', 'document'])), name='rule_change_target_valid')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
