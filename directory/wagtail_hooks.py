from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ActorType
from .services import CONFIRM_ACTION


class ActorTypeViewSet(SnippetViewSet):
    model = ActorType
    icon = "group"
    menu_label = _("Aktørtyper")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "level", "lkt_role", "required", "legal_basis"]
    list_filter = ["level", "required"]
    search_fields = ["name", "description"]


register_snippet(ActorTypeViewSet)


@hooks.register("register_log_actions")
def register_confirm_action(actions):
    actions.register_action(CONFIRM_ACTION, _("Bekreftet uendret"), _("Opplysningene ble bekreftet uendret"))
