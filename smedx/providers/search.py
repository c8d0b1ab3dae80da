"""Reading the catalogue: the public filters (page and API alike) and the diagnosis report's links."""

import re

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from smedx.assessments.report import CatalogueLink
from smedx.providers.models import Solution, SolutionScene
from smedx.providers.reference import scenes

LINKS_PER_RECOMMENDATION = 3
SORTS = {
    "": ("-provider__rating", "-published_at", "-id"),  # best rated providers first, then newest
    "price": ("price_min", "-id"),
    "delivery": ("delivery_days", "-id"),
    "newest": ("-published_at", "-id"),
}


def catalogue_queryset():
    return Solution.objects.catalogue().select_related("provider__organisation").prefetch_related("scenes")


def apply_filters(qs, data: dict):
    """`data` is a filter form's cleaned data: q, scene, industry, deployment, price_max, district, sort."""
    if text := (data.get("q") or "").strip():
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(summary__icontains=text)
            | Q(keywords__icontains=text)
            | Q(provider__organisation__name__icontains=text)
        )
    if scene := data.get("scene"):
        qs = qs.raising(scene)
    if industry := data.get("industry"):
        qs = qs.for_industry(industry)
    if deployment := data.get("deployment"):
        qs = qs.filter(deployment=deployment)
    if (price := data.get("price_max")) is not None:
        qs = qs.filter(price_min__lte=price)
    if district := data.get("district"):
        qs = qs.serving(district)
    order = SORTS.get(data.get("sort") or "", SORTS[""])
    if order[0] == "-provider__rating":
        return qs.order_by(F("provider__rating").desc(nulls_last=True), *order[1:])
    return qs.order_by(*order)


# --- the diagnosis report ------------------------------------------------------------------------

ACRONYM = re.compile(r"[A-Z]{2,}[A-Z0-9]*")
SPLIT = re.compile(r"[与和、/\s]+")
SUFFIXES = ("系统", "平台", "软件", "服务", "改造", "咨询")


def kind_words(kind: str) -> set[str]:
    """Words to look for in a solution for one kind of solution: its acronyms and its head words.

    "能源管理系统（EMS）" → {"EMS", "能源管理"}; "设备联网与数据采集（DNC/MDC）" → {"DNC", "MDC", "设备联网", "数据采集"}.
    """
    words = set(ACRONYM.findall(kind))
    head = re.split(r"[（(]", kind)[0]
    for part in SPLIT.split(head):
        for suffix in SUFFIXES:
            if part.endswith(suffix) and len(part) > len(suffix) + 1:
                part = part[: -len(suffix)]
        if len(part) >= 2 and not ACRONYM.fullmatch(part):
            words.add(part)
    return words


def report_links(kinds: dict[str, tuple[str, ...]]) -> dict[str, list[CatalogueLink]]:
    """Links of the report's recommendations to published solutions, all codes in one query.

    A scene code (S01…S16) links the solutions that raise that scene; an item code links those whose
    name or keywords carry a word of one of its kinds of solution.
    """
    scene_codes = [code for code in kinds if code in scenes()]
    words = {code: set().union(*map(kind_words, kinds[code])) for code in kinds if code not in scenes()}
    every_word = sorted(set().union(*words.values())) if words else []
    condition = Q(Exists(SolutionScene.objects.filter(solution=OuterRef("pk"), scene__in=scene_codes)))
    for word in every_word:
        condition |= Q(keywords__icontains=word) | Q(name__icontains=word)
    if not scene_codes and not every_word:
        return {}
    rows = (
        Solution.objects.catalogue()
        .filter(condition)
        .order_by(F("provider__rating").desc(nulls_last=True), "-published_at", "id")
        .values_list("pk", "name", "keywords", "provider__organisation__name", "scenes__scene")
    )
    found: dict[int, dict] = {}
    for pk, name, keywords, provider, scene in rows:
        entry = found.setdefault(
            pk, {"name": name, "text": f"{name} · {provider}", "words": keywords, "scenes": set()}
        )
        entry["scenes"].add(scene)
    links: dict[str, list[CatalogueLink]] = {}
    for code in kinds:
        hits = []
        for pk, entry in found.items():
            if code in scene_codes:
                hit = code in entry["scenes"]
            else:
                hay = f"{entry['name']} {entry['words']}".lower()
                hit = any(word.lower() in hay for word in words.get(code, ()))
            if hit:
                hits.append(CatalogueLink(entry["text"], reverse("providers:solution_detail", args=[pk])))
            if len(hits) == LINKS_PER_RECOMMENDATION:
                break
        if hits:
            links[code] = hits
    return links
