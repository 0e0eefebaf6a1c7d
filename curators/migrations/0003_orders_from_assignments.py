"""Assignments kept the order's number and date as text; they become CuratorOrder rows."""

from django.db import migrations


def forwards(apps, schema_editor):
    Assignment = apps.get_model("curators", "CuratorAssignment")
    Order = apps.get_model("curators", "CuratorOrder")
    orders = {}
    for a in Assignment.objects.exclude(order_number="").filter(order_date__isnull=False):
        key = (a.region_id, a.order_number, a.order_date)
        if key not in orders:
            orders[key], _ = Order.objects.get_or_create(
                region_id=a.region_id, number=a.order_number, date=a.order_date,
                defaults={"year": a.year, "created_by_id": a.created_by_id})
        a.order = orders[key]
        a.starts_on = a.starts_on or a.order_date
        a.save(update_fields=["order", "starts_on"])


def backwards(apps, schema_editor):
    Assignment = apps.get_model("curators", "CuratorAssignment")
    for a in Assignment.objects.filter(order__isnull=False).select_related("order"):
        a.order_number, a.order_date = a.order.number, a.order.date
        a.save(update_fields=["order_number", "order_date"])


class Migration(migrations.Migration):
    dependencies = [("curators", "0002_orders_affiliations_log_expertise")]
    operations = [migrations.RunPython(forwards, backwards)]
