"""Fixtures of the pathway tests: a published pathway, and the people of the pathway review workflow."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from home.groups import CLINICAL_APPROVERS, OWNERS, PUBLISHERS, ensure_pathway_groups
from tests.factories import GP_TYPE, make_pathway, pathway_phase, pathway_step


@pytest.fixture
def pathway(units_and_index):
    """A published pathway: one phase, a step for the coordinating unit and one for the GP (covered nowhere)."""
    return make_pathway(
        units_and_index.index,
        "Psykisk helse og rus",
        "psykisk-helse",
        [
            pathway_phase(
                "Kartlegging", [pathway_step("Samtykke"), pathway_step("Fastlegen kalles inn", responsible=GP_TYPE)]
            )
        ],
        summary="Forløp for pasienter med store og sammensatte behov.",
    )


@pytest.fixture
def pathway_people(units_and_index, make_user):
    """A content owner, two clinical approvers and a publisher, in the groups of the pathway workflow."""
    ensure_pathway_groups(units_and_index.index)

    def member(username, group_name):
        return make_user(username, groups=[Group.objects.get(name=group_name)], email=f"{username}@helse.example")

    return SimpleNamespace(
        owner=member("eier", OWNERS),
        clinician=member("klinikar", CLINICAL_APPROVERS),
        clinician2=member("klinikar2", CLINICAL_APPROVERS),
        publisher=member("publisist", PUBLISHERS),
    )
