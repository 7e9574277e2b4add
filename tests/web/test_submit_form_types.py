"""Each entry type's form binds only its own fields (web/structured_form.TYPE_FORMS)."""

from __future__ import annotations

from clients import log_in, post_form
from ideapankki.web.entry_form import entry_form
from ideapankki.web.structured_form import OWN_FIELDS, has

IDEA = {"title": "Kokeilu", "summary": "Kunta kokeilee.", "body": "## Mitä\n\nKokeillaan.", "language": "fi",
        "municipalities": "Kajaani", "themes": ["tyollisyys"], "tags": "", "links": "", "origin": "", "do": "submit"}


def test_each_type_binds_only_its_own_fields(app, member):
    """An idea's form has no practice's or norm's fields (entry_form binds each type's own): a field
    of another type in a post is not read, so it cannot refuse the post for a field not shown."""

    with app.test_request_context("/new/idea", method="POST"):
        for kind, own in OWN_FIELDS.items():
            form = entry_form(kind)
            assert all(has(form, name) for name in own)
            assert not any(has(form, name) for other, names in OWN_FIELDS.items() if other != kind for name in names)
            assert has(form, "contacts") and has(form, "relations") and has(form, "title")
    client = app.test_client()
    assert log_in(client).status_code == 302
    response = post_form(client, "/new/idea", {**IDEA, "period_end": "kissa", "results-0-value": "x" * 100})
    assert response.status_code == 302 and response.headers["Location"].endswith("/my")


def test_wtforms_messages_come_in_the_readers_language_from_a_kept_catalogue(app):
    """form_i18n gives what Flask-WTF gives, from a catalogue loaded once per language."""
    from flask_wtf.i18n import translations

    from ideapankki.web import form_i18n

    seen = {}
    for lang in ("fi", "sv", "en", "fi"):
        with app.test_request_context(f"/new/idea?lang={lang}"):
            message = form_i18n.KEPT.gettext("Not a valid choice.")
            assert message == translations.gettext("Not a valid choice.")
            assert form_i18n.KEPT.ngettext("one", "many", 2) == translations.ngettext("one", "many", 2)
            assert entry_form("idea").meta.get_translations(None) is form_i18n.KEPT
            catalogue = form_i18n._catalogue()
            assert seen.setdefault(lang, catalogue) is catalogue
    assert len({id(c) for c in seen.values()}) == 3


def test_every_form_of_the_site_keeps_the_catalogue(app):
    """Each form class of ideapankki derives from forms.SiteForm, so none reads WTForms' catalogue per request."""
    from flask_wtf import FlaskForm

    from ideapankki.web import form_i18n
    from ideapankki.web.forms import SiteForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("ideapankki.")]
    assert len(ours) >= 15, [cls.__name__ for cls in ours]
    assert [cls.__name__ for cls in ours if not issubclass(cls, SiteForm)] == []
    with app.test_request_context("/?lang=sv"):
        for cls in ours:
            assert cls.Meta.get_translations(cls.Meta(), None) is form_i18n.KEPT, cls.__name__
