"""What goes in and out of the API. Domain validation lives in the forms; these only type the JSON."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

MAX_PAGE_SIZE = 100


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages per field; `__all__` for the rest."
    )


class RegionOut(Schema):
    id: int
    code: str
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    region: RegionOut | None


class MeOut(Schema):
    username: str
    name: str
    organisation: OrganisationOut | None
    role: str = Field(description="city, district, expert, provider, enterprise, platform or none")
    membership_role: str = Field(description="admin or member; empty without an organisation")
    rights: list[str]


class TagOut(Schema):
    id: int
    name: str


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    region: RegionOut
    industry_section: str
    industry_division: str
    industry_code: str
    industry_label: str
    employees: int
    revenue: Decimal = Field(description="Annual revenue in 10k yuan (万元)")
    size_class: str
    above_scale: bool
    address: str
    contact_name: str
    contact_phone: str = Field(description="Masked unless the caller may change the enterprise")
    tags: list[TagOut]
    status: str
    stage: int
    current_level: int | None = Field(
        description="Latest verified assessment's level, else latest submitted self-assessment's; null: not rated"
    )
    current_score: Decimal | None = Field(description="The total of the same assessment")
    current_basis: str = Field(description="verified or self: which assessment the current level comes from")
    verified_level: int | None = Field(
        description="Level of the latest on-site verified assessment; null: none"
    )
    transformed: bool = Field(description="Reached project implementation or has a rated T1+ assessment")
    version: int = Field(description="Send it back with PATCH; a newer one on the server means a conflict")
    created_at: datetime
    updated_at: datetime


class EnterpriseSaved(EnterpriseOut):
    warnings: list[str] = Field(description="Accepted, but worth a second look (e.g. division code mismatch)")


class EnterprisePage(Schema):
    count: int
    page: int
    pages: int
    results: list[EnterpriseOut]


class EnterpriseFilters(Schema):
    """The filters of the enterprise list page, as query parameters."""

    q: str = Field("", description="Name, or the start of the credit code")
    region: str = Field("", description="District id or 6-digit division code")
    section: str = Field("", description="GB/T 4754 section letter")
    division: str = Field("", description="GB/T 4754 two-digit division")
    size: str = Field("", description="large, medium, small or micro")
    above_scale: bool | None = None
    tag: int | None = Field(None, description="Tag id")
    stage: int | None = None
    status: str = Field("", description="pending (awaiting review, incl. pending claims), active or rejected")
    current_level: str = Field("", description="0 to 4, or none for not rated yet")
    sort: str = Field(
        "", description="-score or score (current score; not rated last); newest first by default"
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class EnterpriseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str
    credit_code: str
    region: int | str = Field(description="District id or 6-digit division code")
    industry_division: str
    industry_code: str = ""
    employees: int
    revenue: Decimal
    above_scale: bool = False
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    tags: list[int] = Field(default_factory=list, description="Tag ids")


class EnterprisePatch(Schema):
    """Only the fields sent are changed. The credit code cannot be changed."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="The version the change is based on")
    name: str | None = None
    region: int | str | None = Field(None, description="District id or 6-digit division code")
    industry_division: str | None = None
    industry_code: str | None = None
    employees: int | None = None
    revenue: Decimal | None = None
    above_scale: bool | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    tags: list[int] | None = Field(None, description="Tag ids; officers only")
