from itertools import count

from smedx.core.creditcode import make_credit_code
from smedx.testing import PersonaTestCase

API = "/api/v1"
_serial = count(7000)


def enterprise_payload(region, **extra):
    """A valid JSON body for POST /enterprises in `region`."""
    serial = next(_serial)
    data = {
        "name": f"接口企业{serial}",
        "credit_code": make_credit_code(region.code, serial),
        "region": region.code,
        "industry_division": "34",
        "employees": 50,
        "revenue": "1200.50",
        "contact_phone": "13900002222",
    }
    data.update(extra)
    return data


class ApiTestCase(PersonaTestCase):
    PERSONAS = [
        "city",
        "district",
        "other_district",
        "expert",
        "provider",
        "enterprise_user",
        "other_enterprise_user",
        "platform",
        "outsider",
        "anonymous",
    ]

    def act_as(self, persona: str):
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(getattr(self, persona))

    def get(self, path, **query):
        return self.client.get(API + path, query)

    def post(self, path, data, **kwargs):
        return self.client.post(API + path, data, content_type="application/json", **kwargs)

    def patch(self, path, data, **kwargs):
        return self.client.patch(API + path, data, content_type="application/json", **kwargs)
