"""The test database's migrations in an order that costs Django less to apply; the same migrations, the same schema.

Applying a migration, Django re-renders every model related to the one it changes, among all the models that
earlier migrations have already added to its state. So the same migration costs far more late in the plan than
early: oauth2_provider's 22 migrations took 16 seconds after Wagtail and the project's models were in the state
(every one of its models points at the user, and so does almost everything else), and under 4 when applied first.

Django orders the plan by app label. Any order that keeps every migration after its dependencies is a plan Django
could take; this one takes, among the migrations whose dependencies are met, first those of apps outside the page
tree, then the page tree (Wagtail) and what builds on it, and the project's own apps last, each group in Django's
order. Only the test database's build uses it; ``manage.py migrate`` keeps Django's order.
"""

import heapq
from contextlib import contextmanager
from pathlib import Path

# Wagtail's page tree: the model most of the others point at, after the user.
PAGE_TREE_APP = "wagtailcore"


def _project_labels():
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    return {
        config.label
        for config in apps.get_app_configs()
        # The checkout, but not a virtual environment kept inside it.
        if base in Path(config.path).resolve().parents and "site-packages" not in Path(config.path).parts
    }


def reorder(plan, graph):
    """``plan`` (Django's forwards plan: (migration, False) pairs) in the cheaper order; a backwards plan as it is."""
    if any(backwards for _, backwards in plan):
        return plan
    project = _project_labels()
    keys = [(migration.app_label, migration.name) for migration, _ in plan]
    position = {key: index for index, key in enumerate(keys)}
    parents = {key: [p.key for p in graph.node_map[key].parents if p.key in position] for key in keys}
    on_page_tree = {}
    for key in keys:  # dependencies come first in Django's plan
        on_page_tree[key] = key[0] == PAGE_TREE_APP or any(on_page_tree[parent] for parent in parents[key])

    def priority(key):
        group = 2 if key[0] in project else 1 if on_page_tree[key] else 0
        return (group, position[key])

    children = {key: [] for key in keys}
    waiting = {}
    for key in keys:
        waiting[key] = len(parents[key])
        for parent in parents[key]:
            children[parent].append(key)
    ready = [(priority(key), key) for key in keys if not waiting[key]]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, key = heapq.heappop(ready)
        ordered.append(plan[position[key]])
        for child in children[key]:
            waiting[child] -= 1
            if not waiting[child]:
                heapq.heappush(ready, (priority(child), child))
    return ordered


@contextmanager
def cheaper_order():
    """While open, ``migrate`` plans with :func:`reorder`."""
    from django.db.migrations.executor import MigrationExecutor

    django_plan = MigrationExecutor.migration_plan

    def migration_plan(self, targets, clean_start=False):
        return reorder(django_plan(self, targets, clean_start=clean_start), self.loader.graph)

    MigrationExecutor.migration_plan = migration_plan
    try:
        yield
    finally:
        MigrationExecutor.migration_plan = django_plan
