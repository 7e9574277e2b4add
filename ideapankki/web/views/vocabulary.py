"""Moderators maintain the thesaurus: search it, add and edit concepts and labels, see its audit log.

Thin: ideapankki.vocabulary decides who may, checks the set and writes the audit row; an edit
reaches every worker's search at its next query (the thesaurus' version), without a reindex.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ... import vocabulary
from ...reference import THEME_SLUGS, read_register
from ...vocabulary_format import Concept, VocabularyError
from ..database import db_session
from ..forms import REQUIRED, ConfirmActionForm, SiteForm
from ..labels import THEME_LABELS, region_name

bp = Blueprint("vocabulary", __name__, url_prefix="/moderate/vocabulary")
_SPLIT = re.compile(r"[\s,;]+")
LANGUAGES = ("fi", "sv", "en")


class ConceptForm(SiteForm):
    key = StringField(_l("Identifier"), validators=[DataRequired(REQUIRED), Length(max=80)],
                      description=_l("Lower-case letters a–z, digits and hyphens, e.g. esiopetus. Links use it."))
    labels_fi = TextAreaField(render_kw={"rows": 6}, label=_l("Finnish labels"), validators=[DataRequired(REQUIRED)],
                              description=_l("One per line. The first is the preferred label, the others are "
                                             "synonyms, colloquial words, acronyms and former names."))
    labels_sv = TextAreaField(render_kw={"rows": 6}, label=_l("Swedish labels"),
                              description=_l("One per line; the first is the preferred label."))
    labels_en = TextAreaField(render_kw={"rows": 6}, label=_l("English labels"),
                              description=_l("One per line; the first is the preferred label."))
    hidden_fi = TextAreaField(_l("Hidden Finnish labels"),
                              description=_l("One per line: spellings that search matches but never shows."))
    hidden_sv = TextAreaField(_l("Hidden Swedish labels"), description=_l("One per line."))
    hidden_en = TextAreaField(_l("Hidden English labels"), description=_l("One per line."))
    broader = StringField(_l("Broader concepts"), description=_l("Identifiers, separated by spaces."))
    related = StringField(_l("Related concepts"), description=_l("Identifiers, separated by spaces."))
    exact_match = TextAreaField(_l("Exact matches (URIs)"),
                                description=_l("One per line, e.g. a YSO concept you can cite; leave empty if unsure."))
    theme = SelectField(_l("The theme this concept names"))
    region = SelectField(_l("The region this concept names"))
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = [("", _("None"))] + [(slug, str(THEME_LABELS[slug])) for slug in THEME_SLUGS]
        regions = {m.region_code: region_name(m.region_fi, m.region_sv) for m in read_register()}
        self.region.choices = [("", _("None"))] + sorted(regions.items(), key=lambda item: item[1])

    def fill(self, concept: Concept) -> None:
        self.key.data = concept.key
        for language in LANGUAGES:
            getattr(self, f"labels_{language}").data = "\n".join(concept.labels.get(language, []))
            getattr(self, f"hidden_{language}").data = "\n".join(concept.hidden.get(language, []))
        self.broader.data, self.related.data = " ".join(concept.broader), " ".join(concept.related)
        self.exact_match.data = "\n".join(concept.exact_match)
        self.theme.data, self.region.data, self.note.data = concept.theme or "", concept.region or "", concept.note

    def concept(self) -> Concept:
        def lines(value):
            return [" ".join(line.split()) for line in (value or "").splitlines() if line.strip()]

        def keys(value):
            return [k for k in _SPLIT.split((value or "").strip()) if k]

        return Concept(
            key=(self.key.data or "").strip(),
            labels={lang: found for lang in LANGUAGES if (found := lines(getattr(self, f"labels_{lang}").data))},
            hidden={lang: found for lang in LANGUAGES if (found := lines(getattr(self, f"hidden_{lang}").data))},
            broader=keys(self.broader.data), related=keys(self.related.data), exact_match=lines(self.exact_match.data),
            theme=self.theme.data or None, region=self.region.data or None, note=(self.note.data or "").strip())

    def show_problems(self, problems: list[str]) -> None:
        """Each problem at the field it is about (the rest above the form), in the reader's language."""
        for problem in problems:
            detail = problem.split(": ", 2)[-1]
            target = _field_of(detail)
            (getattr(self, target).errors if target else self.form_errors).append(_message(detail))


def _message(detail: str) -> str:
    """The domain's problem (vocabulary_format, in English) as the page says it."""
    if found := re.search(r"(?:label \((\w\w)\)|theme|region) '(.*)' is already '([^']*)''s$", detail):
        return _("%(label)s is already a label of the concept %(key)s.", label=found.group(2), key=found.group(3))
    if found := re.search(r"^(?:broader|related) '(.*)' is not a concept$", detail):
        return _("No concept has the identifier %(key)s.", key=found.group(1))
    if found := re.search(r"^exactMatch '(.*)' is not", detail):
        return _("%(uri)s is not an http or https address.", uri=found.group(1))
    if found := re.search(r"^label '(.*)' \((\w\w)\) appears twice$", detail):
        return _("The label %(label)s appears twice.", label=found.group(1))
    fixed = {"^id must be": _("Use lower-case letters a–z, digits and hyphens (at most 80)."),
             "Finnish label": _("A Finnish label is required."),
             "links to itself": _("A concept cannot link to itself."),
             "id already exists|id used": _("A concept with this identifier already exists.")}
    return next((message for pattern, message in fixed.items() if re.search(pattern, detail)), detail)


def _field_of(detail: str) -> str | None:
    for pattern, name in ((r"^id |\bid already", "key"), (r"\(fi\)|^fi\b|Finnish label", "labels_fi"),
                          (r"\(sv\)|^sv\b", "labels_sv"), (r"\(en\)|^en\b", "labels_en"),
                          (r"^hidden", "hidden_fi"), (r"^broader", "broader"), (r"^related", "related"),
                          (r"^exactMatch", "exact_match"), (r"^theme", "theme"), (r"^region", "region"),
                          (r"^note", "note")):
        if re.search(pattern, detail):
            return name
    return None


@bp.before_request
@login_required
def moderators_only():
    if not current_user.is_moderator:
        abort(403)


@bp.get("/")
def index():
    """Search the thesaurus; the newest changes."""
    session = db_session()
    query = request.args.get("q", "")[:200]
    return render_template("moderate/vocabulary.html", query=query, found=vocabulary.find_concepts(session, query),
                           changes=vocabulary.history(session, 20), total=len(vocabulary.load_concepts(session)))


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _edit(None)


@bp.route("/<key>", methods=["GET", "POST"])
def edit(key: str):
    return _edit(key)


def _edit(key: str | None):
    session = db_session()
    existing = vocabulary.concept(session, key) if key is not None else None
    if key is not None and existing is None:
        abort(404)
    form = ConceptForm()
    if request.method == "GET" and existing is not None:
        form.fill(existing)
    elif form.validate_on_submit():
        try:
            saved = vocabulary.save_concept(session, current_user._get_current_object(), form.concept(), key)
        except VocabularyError as exc:
            form.show_problems(exc.problems)
        except vocabulary.VocabularyForbidden:
            abort(403)
        else:
            flash(_("The concept was saved. Search uses it from the next query."))
            return redirect(url_for("vocabulary.edit", key=saved.key))
    history = vocabulary.history(session, 20, key) if key is not None else []
    page = render_template("moderate/vocabulary_concept.html", form=form, key=key, history=history)
    return page, (400 if form.errors or form.form_errors else 200)


@bp.post("/<key>/delete")
def delete(key: str):
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    try:
        vocabulary.delete_concept(db_session(), current_user._get_current_object(), key)
    except LookupError:
        abort(404)
    except vocabulary.VocabularyForbidden:
        abort(403)
    flash(_("The concept %(key)s was deleted.", key=key))
    return redirect(url_for("vocabulary.index"))
