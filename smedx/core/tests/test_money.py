"""One money convention: every amount of money is a MoneyField, never negative in form, model or database."""

from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.test import SimpleTestCase
from django.utils import translation

from smedx.core.fields import MoneyField
from smedx.core.templatetags.smedx import wan, yuan
from smedx.testing import PersonaTestCase, make_enterprise

# A loss is money too, but it may be below zero.
SIGNED = {("providers", "providerprofile", "net_profit")}


def money_fields():
    with translation.override("en"):
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.DecimalField) and "yuan" in str(field.verbose_name):
                    yield model, field


class MoneyFieldTests(SimpleTestCase):
    def test_it_keeps_every_amount_of_money_a_money_field(self):
        found = list(money_fields())
        self.assertGreaterEqual(len(found), 12)
        for model, field in found:
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if key in SIGNED:
                continue
            with self.subTest(key):
                self.assertIsInstance(field, MoneyField)
                self.assertEqual(field.formfield().min_value, 0)
                with self.assertRaises(ValidationError):
                    field.run_validators(Decimal("-0.01"))
                checked = {c.name for c in model._meta.constraints if isinstance(c, models.CheckConstraint)}
                self.assertIn(
                    f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_not_negative", checked
                )

    def test_it_shows_yuan_with_thousands_separators_and_labels_wan(self):
        self.assertEqual(yuan(Decimal("12345")), "¥12,345.00")
        with translation.override("zh-hans"):
            self.assertEqual(wan(Decimal("1234.5")), "1,234.50 万元")


class MoneyConstraintTests(PersonaTestCase):
    def test_it_refuses_negative_money_in_the_database(self):
        enterprise = make_enterprise(self.home_region, "检查约束")
        with self.assertRaises(IntegrityError), transaction.atomic():
            apps.get_model("enterprises", "Enterprise").objects.filter(pk=enterprise.pk).update(
                revenue=Decimal("-1")
            )
