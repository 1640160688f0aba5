"""Set-up of groups, page permissions and moderation workflows for municipalities, health trusts and national
administrators.

Wagtail's own mechanisms carry the rules: a group per municipality with page
permissions on that municipality's subtree only, and a Wagtail workflow whose
approval task belongs to the municipality's reviewers.
"""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import GroupPagePermission, WorkflowContentType, WorkflowPage

from core.permissions import approval_task, moderation_workflow, permission

from .models import ActorType, HealthTrustPage, Municipality, MunicipalityIndexPage, MunicipalityPage
from .text import norwegian_slug

NATIONAL_ADMINS = "Nasjonale administratorer"
EDITOR_PAGE_PERMISSIONS = ["add", "change", "lock"]
REVIEWER_PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock", "bulk_delete"]


def editor_group_name(municipality):
    return f"Redaktører – {municipality.name} ({municipality.number})"


def reviewer_group_name(municipality):
    return f"Godkjennere – {municipality.name} ({municipality.number})"


@transaction.atomic
def ensure_national_admins():
    """The national administrators keep the catalogue of actor types, moderated by a workflow of their own."""
    group, _ = Group.objects.get_or_create(name=NATIONAL_ADMINS)
    codenames = [
        ("wagtailadmin", "access_admin"),
        ("directory", "add_actortype"),
        ("directory", "change_actortype"),
        ("directory", "delete_actortype"),
        ("directory", "publish_actortype"),
        ("directory", "lock_actortype"),
        ("directory", "unlock_actortype"),
        ("directory", "import_directory"),
        ("directory", "manage_municipalities"),
        ("directory", "view_actortype"),
    ]
    group.permissions.add(*[permission(app, code) for app, code in codenames])
    moderation = moderation_workflow(
        "Godkjenning av aktørtyper", [approval_task("Nasjonal godkjenning av aktørtype", group)]
    )
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(ActorType), defaults={"workflow": moderation}
    )
    index = MunicipalityIndexPage.objects.first()
    if index is not None:
        for permission_type in REVIEWER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=permission("wagtailcore", f"{permission_type}_page")
            )
    return group


@transaction.atomic
def create_municipality(number, index_page=None, intro=""):
    """Create a municipality's page, its editor and reviewer groups and its review workflow; idempotent."""
    municipality = Municipality.objects.get(number=number)
    index_page = index_page or MunicipalityIndexPage.objects.get()
    page = MunicipalityPage.objects.filter(municipality=municipality).first()
    if page is None:
        slug = norwegian_slug(municipality.name)
        if index_page.get_children().filter(slug=slug).exists():
            # Two municipalities may share a name (Herøy 1515 and 1818, Våler 3110 and 3419).
            slug = f"{slug}-{municipality.number}"
        page = MunicipalityPage(title=municipality.name, slug=slug, municipality=municipality)
        if intro:
            page.intro = intro
        index_page.add_child(instance=page)
        page.save_revision().publish()

    # Named with the number as well as the name: workflows and tasks are looked up by name, and two
    # municipalities sharing a name must never share a workflow (nor have their reviewers swapped).
    editors, reviewers = _editorial_groups(page, f"{municipality.name} ({municipality.number})")
    return page, editors, reviewers


@transaction.atomic
def create_health_trust(name, catchment=(), index_page=None, org_number="", slug=""):
    """Create a health trust's page with its catchment municipalities, editor and reviewer groups and review
    workflow – the same mechanisms as a municipality's, scoped to the trust's subtree; idempotent by name."""
    index_page = index_page or MunicipalityIndexPage.objects.get()
    page = HealthTrustPage.objects.filter(title=name).first()
    if page is None:
        page = HealthTrustPage(title=name, slug=slug or norwegian_slug(name), org_number=org_number)
        page.catchment_municipalities = list(Municipality.objects.filter(number__in=catchment))
        index_page.add_child(instance=page)
        page.save_revision().publish()
    editors, reviewers = _editorial_groups(page, name)
    return page, editors, reviewers


def trust_editor_group_name(name):
    return f"Redaktører – {name}"


def trust_reviewer_group_name(name):
    return f"Godkjennere – {name}"


def _editorial_groups(page, label):
    """An editor and a reviewer group with page permissions on this map's subtree only, and its workflow."""
    access_admin = permission("wagtailadmin", "access_admin")
    view_types = permission("directory", "view_actortype")
    editors, _ = Group.objects.get_or_create(name=f"Redaktører – {label}")
    reviewers, _ = Group.objects.get_or_create(name=f"Godkjennere – {label}")
    for group, permission_types in ((editors, EDITOR_PAGE_PERMISSIONS), (reviewers, REVIEWER_PAGE_PERMISSIONS)):
        group.permissions.add(access_admin, view_types)
        for permission_type in permission_types:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=permission("wagtailcore", f"{permission_type}_page")
            )
    moderation = moderation_workflow(
        f"Godkjenning – {label}", [approval_task(f"Godkjenning av aktørkart – {label}", reviewers)]
    )
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": moderation})
    return editors, reviewers
