"""The actor-type checkboxes of the actor form, grouped under the catalogue's levels.

Twenty-six unlabelled-by-kind checkboxes in one column were the longest thing on the form; grouped as the public
pages group them (municipal services, specialist health services, other actors), each group a fieldset with its
own legend, an editor finds «Fastlege» or «Kontaktlege» without reading the whole list.
"""

from django import forms


class GroupedActorTypeCheckboxes(forms.CheckboxSelectMultiple):
    # In the app (not templates/): Django renders widgets with its own engine, which reads app directories only.
    template_name = "directory/widgets/grouped_checkboxes.html"

    def optgroups(self, name, value, attrs=None):
        from .models import GROUP_HEADINGS, ActorType  # the models use this widget in their panels

        levels = dict(ActorType.objects.values_list("pk", "level"))
        groups = {level: [] for level in GROUP_HEADINGS}
        ungrouped = []
        for _group, options, _index in super().optgroups(name, value, attrs):
            for option in options:
                raw = getattr(option["value"], "value", option["value"])
                level = levels.get(raw)
                (groups[level] if level in groups else ungrouped).append(option)
        found = [
            (str(GROUP_HEADINGS[level]), options, i) for i, (level, options) in enumerate(groups.items()) if options
        ]
        if ungrouped:
            found.append((None, ungrouped, len(found)))
        return found
