"""Set-up of the groups and the two-step moderation workflow for pathways (clinical approval, then publishing)."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import GroupPagePermission, WorkflowContentType, WorkflowPage

from core.permissions import approval_task, moderation_workflow, permission

from .models import PathwayIndexPage, PathwayModule

OWNERS = "Forløpseiere"
CLINICAL_APPROVERS = "Klinisk godkjenning av forløp"
PUBLISHERS = "Publisering av forløp"
MODERATION_WORKFLOW_NAME = "Godkjenning av forløp"


@transaction.atomic
def ensure_pathway_groups(index_page=None):
    """Idempotent: owners edit pathways and modules; clinical approvers, then publishers, approve them."""
    index_page = index_page or PathwayIndexPage.objects.first()
    owners, _ = Group.objects.get_or_create(name=OWNERS)
    clinical, _ = Group.objects.get_or_create(name=CLINICAL_APPROVERS)
    publishers, _ = Group.objects.get_or_create(name=PUBLISHERS)
    access = permission("wagtailadmin", "access_admin")
    module_perms = [permission("home", f"{action}_pathwaymodule") for action in ("add", "change", "lock", "unlock")]
    for group in (owners, clinical, publishers):
        group.permissions.add(access, *module_perms, permission("directory", "view_actortype"))
    publishers.permissions.add(permission("home", "publish_pathwaymodule"), permission("home", "delete_pathwaymodule"))
    grants = {
        owners: ["add", "change", "lock"],
        clinical: ["change", "lock"],
        publishers: ["add", "change", "publish", "lock", "unlock"],
    }
    if index_page is not None:
        for group, permission_types in grants.items():
            for permission_type in permission_types:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=index_page, permission=permission("wagtailcore", f"{permission_type}_page")
                )

    moderation = moderation_workflow(
        MODERATION_WORKFLOW_NAME,
        [approval_task("Klinisk godkjenning", clinical), approval_task("Publisering av forløp", publishers)],
    )
    if index_page is not None:
        WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": moderation})
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(PathwayModule), defaults={"workflow": moderation}
    )
    return moderation
