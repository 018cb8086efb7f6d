"""Subscriptions are counted, found and kept unique by a keyed digest of the address in lower case
(models.address_key), and a day's digest claims hold only that digest, never the address."""

from django.db import migrations, models

from portal.follow.models import address_key


def fill_addresses(apps, schema_editor):
    Subscription = apps.get_model("follow", "Subscription")
    seen = set()
    for subscription in Subscription.objects.order_by("-confirmed_at", "pk").iterator():
        key = address_key(subscription.email)
        target = (key, subscription.page_id, subscription.submission_id)
        if target in seen:  # Wang@… and wang@… followed the same thing: one subscription is kept
            subscription.delete()
            continue
        seen.add(target)
        Subscription.objects.filter(pk=subscription.pk).update(address=key)


class Migration(migrations.Migration):
    dependencies = [("follow", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="subscription", name="follow_unique_page"),
        migrations.RemoveConstraint(model_name="subscription", name="follow_unique_submission"),
        migrations.AddField(
            model_name="subscription",
            name="address",
            field=models.CharField(db_index=True, default="", editable=False, max_length=64, verbose_name="邮箱键"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_addresses, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subscription",
            name="email",
            field=models.EmailField(max_length=254, verbose_name="电子邮箱"),
        ),
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(fields=("address", "page"), name="follow_unique_address_page"),
        ),
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(
                fields=("address", "submission"), name="follow_unique_address_submission"
            ),
        ),
        # A claim lives a day or two and is dropped rather than kept with an address; a rerun today sends nothing
        # twice all the same, as digest_through already says what each subscription has been told.
        migrations.RunPython(
            lambda apps, schema_editor: apps.get_model("follow", "DigestSent").objects.all().delete(),
            migrations.RunPython.noop,
        ),
        migrations.RemoveConstraint(model_name="digestsent", name="follow_one_digest_a_day"),
        migrations.RemoveField(model_name="digestsent", name="email"),
        migrations.AddField(
            model_name="digestsent",
            name="address",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="digestsent",
            constraint=models.UniqueConstraint(fields=("address", "day"), name="follow_one_digest_an_address_a_day"),
        ),
    ]
