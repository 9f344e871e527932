"""A new worksite's North Korean workers are "not yet asked" (a gap to close) instead of
"unknown" (an answer that adds risk points).

Existing worksites keep the value they have: an "unknown" stored before cannot be told
apart from an answer, so it stays an answer until someone changes it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("suppliers", "0004_import_batches"),
    ]

    operations = [
        migrations.AlterField(
            model_name="facility",
            name="dprk_workers",
            field=models.CharField(
                choices=[
                    ("none", "None (confirmed)"),
                    ("present", "Present (count known)"),
                    ("unknown", "Unknown (asked, not known)"),
                    ("not_asked", "Not yet asked"),
                ],
                default="not_asked",
                help_text="North Korean nationals at this worksite.",
                max_length=10,
            ),
        ),
    ]
