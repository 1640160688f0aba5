"""Finds English interface text on a page that should be Norwegian all the way.

A heuristic that can really fail: the page's visible text, the labels screen readers read (``aria-label``,
``title``, ``placeholder``, ``alt``, button values) and the labels in Wagtail's JSON props (its sidebar menu is
built from them) are split into words, and every word that is on :data:`ENGLISH` – words of English interface
text that are not Norwegian words too – is reported with the text around it.

User content is not interface: the caller names it (``allow``: page titles, people, text typed in forms) and it is
taken out before the words are counted, as are e-mail addresses, URLs and the product names in :data:`NAMES`.
"""

import json
import re
from html.parser import HTMLParser

# English words of Wagtail's, Viewflow's, Django's and django-otp's interfaces that are not also Norwegian words
# (so not «at», «by», «for», «in», «is», «no», «all», «skip», «side», «status», «start», «type», «filter», «time»,
# «program», «enter»).
ENGLISH = frozenset(
    """
    the and of with your you this that these those are has have been from into which will would could should
    can't don't isn't there their here what when where who why how please sorry
    save saved saving delete deleted edit edited editing cancel cancelled search help compare request requested
    changes approve approved submit submitted publish published unpublish unpublished preview settings pages page
    add create created choose select selected show hide close open more actions action history workflow workflows
    reports report locked unlock lock dashboard explorer images documents users groups sites collections redirects
    comments comment password username sign login logout next previous back yes error errors warning loading
    draft live expired scheduled moderation review reviewer task tasks assigned done inbox queue archive process
    processes execute assign unassign undo revive chart menu navigation toggle apply clear reset items item title
    date updated owner started finished home account profile notifications language theme contrast density
    main content minutes hours days ago just now required field must valid characters untitled view details
    upload download file files privacy private public revision revisions latest current earliest state complete
    completed progress other others any newest oldest order sorted ascending descending filters results
    result found matching enable disable enabled disabled remove removed replace confirm confirmation continue
    """.split()
)

# Names that are neither English nor Norwegian interface text.
NAMES = ("Wagtail", "Viewflow", "Django", "LKT", "ID-porten", "HelseID", "TestID")

_LABEL_ATTRS = {"aria-label", "aria-description", "title", "placeholder", "alt", "data-w-tooltip-content-value"}
_JSON_LABEL_KEYS = {"label", "title", "text", "placeholder", "ariaLabel", "helpText", "description"}
_ICON_CLASSES = ("material-icons", "material-symbols")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_URL_OR_MAIL = re.compile(r"\S+@\S+|https?://\S+|(?<!\w)/[\w./?=&%-]+")
# A word stands alone: letters inside a code or an id («5hn7of3z», a backup code) are no word.
_WORD = re.compile(r"(?<!\w)[A-Za-zÆØÅæøåÉé'’]+(?!\w)")


def _json_labels(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in _JSON_LABEL_KEYS and isinstance(inner, str):
                yield inner
            else:
                yield from _json_labels(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _json_labels(inner)


class _Reader(HTMLParser):
    """Collects text, labels and JSON labels; skips scripts, styles and icon ligatures («menu», «inbox»)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in _LABEL_ATTRS & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            self.parts.append(attrs.get("value") or "")
        if tag in _VOID:
            return
        classes = attrs.get("class") or ""
        if tag == "script" and attrs.get("type") == "application/json":
            kind = "json"
        elif tag in ("script", "style", "noscript") or any(icon in classes for icon in _ICON_CLASSES):
            kind = "skip"
        else:
            kind = "text"
        self.stack.append((tag, kind))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        kinds = {kind for _, kind in self.stack}
        if "json" in kinds:
            try:
                self.parts.extend(_json_labels(json.loads(data)))
            except ValueError:
                pass
        elif "skip" not in kinds:
            self.parts.append(data)


def readable_text(page):
    """What a user sees or hears of an HTML page: text, labels, button values and JSON labels."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return "\n".join(reader.parts)


def english_words(page, allow=()):
    """[(word, context)] of English interface words in an HTML page; ``allow`` is user content to leave out."""
    text = readable_text(page)
    for content in sorted({*allow, *NAMES}, key=len, reverse=True):
        if content:
            text = text.replace(content, " ")
    text = _URL_OR_MAIL.sub(" ", text)
    found = []
    for match in _WORD.finditer(text):
        if match.group().lower() in ENGLISH:
            start, end = max(0, match.start() - 40), match.end() + 40
            found.append((match.group(), " ".join(text[start:end].split())))
    return found
