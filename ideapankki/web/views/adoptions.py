"""Marking a practice or idea as in use in one's own organisation (or of interest), and showing who has.

The rules are in ideapankki.adoptions; this module parses the form, tells the entry's author by
mail, and gives the entry page its panel (templates/public/_adoptions.html): the organisations,
the schematic map of regions and the member's form. A form with errors re-renders the entry page
through its own view, so the page keeps whatever else it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlmodel import Session
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ... import adoptions, browse, finland_map
from ...models import Adoption, Entry, User
from ..database import db_session
from ..forms import REQUIRED, ConfirmActionForm, SiteForm, choices
from ..labels import region_name
from ..notify import send_mail
from . import public

bp = Blueprint("adoptions", __name__)

STATUS_LABELS = {"adopted": _l("In use"), "interested": _l("Interested")}  # in the table of organisations


class AdoptionForm(SiteForm):
    """A member's mark for their organisation: in use (since a year) or interested, a note, a link."""

    status = RadioField(_l("Our organisation"), validators=[InputRequired(REQUIRED)], choices=choices({
        "adopted": _l("In use here"), "interested": _l("We are interested")}))
    year = StringField(_l("In use since (year)"), validators=[Length(max=4)],
                       description=_l("The year it was taken into use, e.g. 2024. Only when it is in use."))
    note = TextAreaField(_l("Note"), validators=[Length(max=adoptions.NOTE_MAX)],
                         description=_l("Optional: how you use it, or what you would like to know."))
    link = StringField(_l("Link"), validators=[Length(max=adoptions.LINK_MAX)],
                       description=_l("Optional: an address where your organisation describes it, https://…"))


def _messages() -> dict[str, str]:
    return {
        "status": _("Choose whether it is in use or you are interested."),
        "year": _("Give the year it was taken into use, at the latest this year."),
        "note": _("The note is too long."),
        "link": _("Give an address that begins with https:// or http://."),
    }


SHOWN = 20  # the entry page's table shows the first this many marks; the rest are on the adopters' page


@dataclass(frozen=True)
class Panel:
    """What the entry page shows of ENTRY's adopters, and what the reader may do there: the counts and
    the map of all marks, the first SHOWN of them in the table, the member's form."""

    marks: list[adoptions.Mark]
    counts: adoptions.Counts
    map: Markup | None
    form: AdoptionForm | None
    withdraw_form: ConfirmActionForm | None
    own: Adoption | None
    refusal: str | None

    @property
    def adopted(self) -> int:
        return self.counts.statuses.get("adopted", 0)

    @property
    def interested(self) -> int:
        return self.counts.statuses.get("interested", 0)

    @property
    def more(self) -> bool:
        """Whether the table leaves some marks to the adopters' page."""
        return self.counts.total > len(self.marks)


def region_names(session: Session) -> dict[str, str]:
    """Region code → its name in the reader's language."""
    return {code: region_name(fi, sv) for code, fi, sv, _count in browse.regions(session)}


def entry_map(session: Session, counts: adoptions.Counts) -> Markup:
    """The schematic map of the regions of the organisations that use an entry or are interested in it."""
    lines = {code: [text for text in (
        _("In use: %(count)s", count=c["adopted"]) if c["adopted"] else "",
        _("Interested: %(count)s", count=c["interested"]) if c["interested"] else "") if text]
        for code, c in counts.regions.items()}
    return finland_map.region_map(
        "adoption-map", _("Where it is in use"),
        _("Schematic map of Finland's regions, each a box placed roughly where the region lies; a region is "
          "shaded by the organisations that have it in use there. The same data are in the table below."),
        {code: c["adopted"] for code, c in counts.regions.items()}, region_names(session), lines,
        _("Organisations using it"), str(get_locale()))


def panel(entry: Entry, counts: adoptions.Counts | None = None) -> Panel | None:
    """The adopters' panel of ENTRY's page (None for a norm proposal: nothing to take into use);
    COUNTS: ENTRY's, if the view read them already."""
    if entry.type not in adoptions.ADOPTABLE_TYPES:
        return None
    if counts is None:
        counts = adoptions.counts(db_session(), entry)
    # db_session() only where it reads: an anonymous view of an entry nobody marked opens no session
    marks = adoptions.of_entry(db_session(), entry, SHOWN) if counts.total else []
    actor = current_user if current_user.is_authenticated else None
    refusal = adoptions.refusal(actor, entry)
    form = withdraw_form = own = None
    if refusal is None:  # only then a form (and so a CSRF token in the session): anonymous pages stay cacheable
        own = adoptions.own(db_session(), entry, actor)
        form = getattr(g, "adoption_form", None) or AdoptionForm(formdata=None, data=_form_data(own))
        withdraw_form = ConfirmActionForm(formdata=None) if own else None
    return Panel(marks, counts, entry_map(db_session(), counts) if counts.total else None, form, withdraw_form, own,
                 refusal if actor is not None else None)


def _form_data(own: Adoption | None) -> dict:
    if own is None:
        return {}
    return {"status": own.status, "year": str(own.year) if own.year else "", "note": own.note or "",
            "link": own.link or ""}


def tell_author(session: Session, entry: Entry, saved: adoptions.Saved) -> None:
    """Mail the entry's author that an organisation took it into use or is interested (in the entry's language)."""
    author = session.get(User, entry.author_id) if entry.author_id else None
    if author is None or not author.is_active:
        return
    organisation = saved.adoption.organisation.name
    with force_locale(entry.language):
        if saved.adoption.status == "adopted":
            subject = _("%(organisation)s has your entry in use: %(title)s", organisation=organisation,
                        title=entry.title)
            said = _("%(organisation)s says it has taken it into use in %(year)s.", organisation=organisation,
                     year=saved.adoption.year)
        else:
            subject = _("%(organisation)s is interested in your entry: %(title)s", organisation=organisation,
                        title=entry.title)
            said = _("%(organisation)s says it is interested in it.", organisation=organisation)
        parts = [entry.title, said]
        if saved.adoption.note:
            parts.append(_("Their note:") + "\n" + saved.adoption.note)
        if saved.adoption.link:
            parts.append(saved.adoption.link)
        parts.append(url_for("public.entry", slug=entry.slug, _external=True) + "#adoptions-title")
    send_mail(author.email, subject, "\n\n".join(parts))


def _entry(slug: str) -> Entry:
    entry = browse.get_published(db_session(), slug)
    if entry is None:
        abort(404)
    if entry.type not in adoptions.ADOPTABLE_TYPES:
        abort(409)
    if not adoptions.may_mark(current_user, entry):
        abort(403)
    return entry


def _year(text: str | None) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise adoptions.AdoptionError("year", "not a year")
    return int(text)


@bp.post("/entries/<slug>/adoption")
@login_required
def mark(slug: str):
    """Save the member's organisation's mark on a published practice or idea."""
    session = db_session()
    entry = _entry(slug)
    form = AdoptionForm()
    if form.validate_on_submit():
        try:
            saved = adoptions.mark(session, entry, current_user._get_current_object(), form.status.data,
                                   year=_year(form.year.data), note=form.note.data, link=form.link.data)
        except adoptions.AdoptionError as exc:
            form[exc.field].errors = [*form[exc.field].errors, _messages()[exc.field]]
        else:
            if saved.news:
                tell_author(session, entry, saved)
            session.commit()
            flash(_("Your organisation's mark was saved."))
            return _back(entry)
    g.adoption_form = form
    return public.entry(slug), 400


@bp.post("/entries/<slug>/adoption/withdraw")
@login_required
def withdraw(slug: str):
    """Withdraw the member's organisation's mark."""
    session = db_session()
    entry = _entry(slug)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    if adoptions.withdraw(session, entry, current_user._get_current_object()):
        session.commit()
        flash(_("Your organisation's mark was withdrawn."))
    return _back(entry)


@bp.get("/entries/<slug>/adopters")
def adopters(slug: str):
    """Every organisation that has a published practice or idea in use or is interested, in one table."""
    session = db_session()
    entry = browse.get_published(session, slug)
    if entry is None or entry.type not in adoptions.ADOPTABLE_TYPES:
        abort(404)
    return render_template("public/adopters.html", entry=entry, marks=adoptions.of_entry(session, entry),
                           counts=adoptions.counts(session, entry))


def _back(entry: Entry):
    """To the entry's adopters, in the language the reader had (?lang= is kept)."""
    return redirect(url_for("public.entry", slug=entry.slug, lang=request.args.get("lang")) + "#adoptions-title")


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["adoption_panel"] = panel
    app.jinja_env.globals["adoption_labels"] = STATUS_LABELS
