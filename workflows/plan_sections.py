"""Sections other apps add to the plan-drafting step (self-monitoring parameters, for one).

A section is an object with ``name``, ``template_name`` (rendered inside the step's form with ``section`` and
``formset`` in the context), ``formset(process, members, data=None, submit=False)``,
``save(plan, formset, user, data)`` and ``render(plan, audience, request)`` (the section as a plan version shows it,
for the team or, with ``audience="patient"``, on Min side). Sections register once, from their app's ``ready()``;
the plan step validates their formsets with its own and saves them with the version, in the same transaction.
"""

_SECTIONS = []


def register(section):
    if all(existing.name != section.name for existing in _SECTIONS):
        _SECTIONS.append(section)


def registered():
    return list(_SECTIONS)
