"""The test database's cheaper migration order (tests/migration_order.py) is a plan Django could take itself."""

from django.db.migrations.executor import MigrationExecutor

from tests import migration_order


def _django_plan():
    executor = MigrationExecutor(None)  # the migration files alone; no database is asked
    return executor, executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)


def test_every_migration_comes_once_and_after_everything_it_depends_on():
    executor, plan = _django_plan()
    ordered = migration_order.reorder(plan, executor.loader.graph)
    keys = [(migration.app_label, migration.name) for migration, _ in ordered]
    assert sorted(keys) == sorted((migration.app_label, migration.name) for migration, _ in plan)
    position = {key: index for index, key in enumerate(keys)}
    graph = executor.loader.graph
    late = [
        (key, parent.key)
        for key in keys
        for parent in graph.node_map[key].parents
        if parent.key in position and position[parent.key] > position[key]
    ]
    assert late == []


def test_the_projects_own_apps_come_last_and_the_plan_is_different():
    executor, plan = _django_plan()
    ordered = migration_order.reorder(plan, executor.loader.graph)
    project = migration_order._project_labels()
    assert {"workflows", "directory", "home"} <= project
    labels = [migration.app_label for migration, _ in ordered]
    first_project = min(index for index, label in enumerate(labels) if label in project)
    assert all(label in project for label in labels[first_project:])
    assert ordered != plan


def test_a_backwards_plan_is_left_as_django_made_it():
    executor, plan = _django_plan()
    backwards = [(migration, True) for migration, _ in reversed(plan[:3])]
    assert migration_order.reorder(backwards, executor.loader.graph) is backwards
