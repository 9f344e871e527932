"""Each assessment records the risk engine that computed it.

Assessments stored before this migration were all computed by version 1 of the engine
(chainproof-risk 1), so they get that; the model itself has no default: every scoring
run sets the version it runs with.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="riskassessment",
            name="engine",
            field=models.CharField(
                default="chainproof-risk",
                help_text="The risk engine that computed this.",
                max_length=40,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="riskassessment",
            name="engine_version",
            field=models.CharField(default="1", max_length=20),
            preserve_default=False,
        ),
    ]
