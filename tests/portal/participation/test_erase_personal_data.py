"""erase_personal_data: what the 隐私声明 promises a citizen who asks, by 受理编号."""

import pytest

from django.core.management import CommandError, call_command

from wagtail.models import ModelLogEntry

from tests.factories.participation import SubmissionFactory

pytestmark = pytest.mark.django_db


def test_erases_contacts_and_address_and_keeps_the_letter():
    item = SubmissionFactory(contact_phone="13800138000", ip="198.51.100.7", answer="已处理。")
    call_command("erase_personal_data", item.number.lower(), verbosity=0)
    item.refresh_from_db()
    assert (item.contact_name, item.contact_phone, item.contact_email, item.ip) == ("", "", "", None)
    assert item.personal_data_erased_at and item.content and item.answer == "已处理。"
    assert ModelLogEntry.objects.filter(object_id=str(item.pk), action="participation.erase").exists()


def test_an_unknown_number_erases_nothing():
    item = SubmissionFactory()
    with pytest.raises(CommandError, match="TS0000"):
        call_command("erase_personal_data", item.number, "TS0000", verbosity=0)
    item.refresh_from_db()
    assert item.contact_name and item.personal_data_erased_at is None
