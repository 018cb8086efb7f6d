"""A task's status is no longer a stored constant ("推进中" on every task, whatever the timeline said): it
comes from its targets, or from an editor's dated assessment. A progress an editor had set by hand
(completed, delayed) is kept as an assessment, dated the day the page was last published."""

from django.db import migrations, models

CARRIED = {"completed": "met", "delayed": "behind"}


def carry_manual_progress(apps, schema_editor):
    TaskPage = apps.get_model("plan", "TaskPage")
    for task in TaskPage.objects.filter(progress__in=CARRIED).only(
        "progress", "last_published_at", "latest_revision_created_at"
    ):
        when = task.last_published_at or task.latest_revision_created_at
        task.assessment = CARRIED[task.progress]
        task.assessed_on = when.date() if when else None
        if task.assessed_on is None:
            task.assessment = ""
        task.save(update_fields=["assessment", "assessed_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0003_indicatorreading"),
    ]

    operations = [
        migrations.AddField(
            model_name="taskpage",
            name="assessed_on",
            field=models.DateField(blank=True, null=True, verbose_name="评估日期"),
        ),
        migrations.AddField(
            model_name="taskpage",
            name="assessment",
            field=models.CharField(
                blank=True,
                choices=[
                    ("met", "已达标(实施期结束后显示为“已完成”)"),
                    ("on_track", "按计划推进(实施期结束后显示为“未完成”)"),
                    ("behind", "滞后(实施期结束后显示为“未完成”)"),
                ],
                help_text="留空则按本任务的量化目标自动判断;填写后以此为准,并须填写评估日期。",
                max_length=20,
                verbose_name="编辑评估",
            ),
        ),
        migrations.RunPython(carry_manual_progress, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="taskpage",
            name="progress",
        ),
        migrations.AlterField(
            model_name="taskpage",
            name="progress_note",
            field=models.TextField(blank=True, help_text="向公众说明评估的依据。", verbose_name="评估说明"),
        ),
    ]
