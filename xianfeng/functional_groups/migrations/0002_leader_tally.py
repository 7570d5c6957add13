"""Votes become counts: LeaderTally replaces LeaderBallot.

A ballot row per vote could be paired with its VoterReceipt by anyone reading the database (same
transaction, same insertion order); a count per nominee cannot. Existing ballots are folded into
the counts before their table is dropped.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Max


def ballots_to_tallies(apps, schema_editor):
    Nomination = apps.get_model("functional_groups", "Nomination")
    LeaderBallot = apps.get_model("functional_groups", "LeaderBallot")
    LeaderTally = apps.get_model("functional_groups", "LeaderTally")
    counts = dict(
        LeaderBallot.objects.values("nominee_id")
        .annotate(n=Count("id"))
        .values_list("nominee_id", "n")
    )
    LeaderTally.objects.bulk_create(
        LeaderTally(
            tenant_id=nomination.tenant_id,
            group_id=nomination.group_id,
            nominee_id=nomination.pk,
            votes=counts.get(nomination.pk, 0),
        )
        for nomination in Nomination.objects.order_by("pk")
    )


def tallies_to_ballots(apps, schema_editor):
    # Going back, each count becomes that many ballots dated on the group's last day of voting.
    LeaderBallot = apps.get_model("functional_groups", "LeaderBallot")
    LeaderTally = apps.get_model("functional_groups", "LeaderTally")
    VoterReceipt = apps.get_model("functional_groups", "VoterReceipt")
    last_day = dict(
        VoterReceipt.objects.values("group_id")
        .annotate(day=Max("voted_on"))
        .values_list("group_id", "day")
    )
    LeaderBallot.objects.bulk_create(
        LeaderBallot(
            tenant_id=tally.tenant_id,
            group_id=tally.group_id,
            nominee_id=tally.nominee_id,
            cast_on=last_day[tally.group_id],
        )
        for tally in LeaderTally.objects.filter(votes__gt=0).order_by("group_id", "nominee_id")
        for _ in range(tally.votes)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_auditentry_tenant_no_reverse"),
        ("functional_groups", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="LeaderTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("votes", models.PositiveIntegerField(default=0, verbose_name="得票数")),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tallies",
                        to="functional_groups.proposedgroup",
                        verbose_name="功能党小组",
                    ),
                ),
                (
                    "nominee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tallies",
                        to="functional_groups.nomination",
                        verbose_name="自荐人",
                    ),
                ),
                (
                    "tenant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="core.tenant",
                        verbose_name="教育系统",
                    ),
                ),
            ],
            options={
                "verbose_name": "得票数",
                "verbose_name_plural": "得票数",
            },
        ),
        migrations.AddConstraint(
            model_name="leadertally",
            constraint=models.UniqueConstraint(
                fields=("group", "nominee"), name="leadertally_one_per_nominee"
            ),
        ),
        migrations.RunPython(ballots_to_tallies, tallies_to_ballots),
        migrations.DeleteModel(
            name="LeaderBallot",
        ),
    ]
