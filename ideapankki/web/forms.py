"""Forms (Flask-WTF: CSRF on every one). Field labels and messages are translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, EmailField, FieldList, Form, FormField, PasswordField, RadioField,
                     SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts import MIN_PASSWORD_LENGTH
from . import form_i18n

REQUIRED = _l("This field is required.")


def choices(options: dict) -> list[SelectChoice]:
    """Options for a select, radio or checkbox field, in the given order."""
    return [SelectChoice(value, label) for value, label in options.items()]


def new_password_fields(label=_l("New password"), again=_l("New password again")):
    """A new password and its repetition."""
    password = PasswordField(label, validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Use at least %(min)s characters.", min=MIN_PASSWORD_LENGTH)),
    ], description=_l("At least %(min)s characters. A few unrelated words make a good password.",
                      min=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(again, validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The passwords do not match.")),
    ])
    return password, confirm


class SiteForm(FlaskForm):
    """The base of every form of the site: Flask-WTF's CSRF, and WTForms' own messages from the
    catalogue kept per language (form_i18n) rather than read from disk for each request."""

    class Meta:
        get_translations = form_i18n.get_translations


class RegisterForm(SiteForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(REQUIRED), Email(message=_l("Enter an e-mail address like name@kunta.fi."),
                                      check_deliverability=False), Length(max=254)],
        description=_l("Use your work address: your organisation's domain can speed up approval."))
    municipality = SelectField(_l("Organisation"), validators=[DataRequired(REQUIRED)], validate_choice=False,
                               description=_l("The municipality, wellbeing services county, regional council or "
                                              "other organisation you work for or represent."))
    password, confirm = new_password_fields(_l("Password"), _l("Password again"))


class LoginForm(SiteForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(SiteForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(REQUIRED), Length(max=254)])


class ResetForm(SiteForm):
    password, confirm = new_password_fields()


class PasswordChangeForm(SiteForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED), Length(max=200)])
    password, confirm = new_password_fields()


class ConfirmActionForm(SiteForm):
    """A button that changes something: only its CSRF token."""


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice (accessible without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


RELATION_KINDS = {
    "": "–",
    "led_to": _l("This idea led to the entry"),
    "needs_norm_change": _l("This needs the norm change proposed in the entry"),
    "based_on": _l("This is based on the entry"),
    "similar_to": _l("This is similar to the entry"),
    "translation_of": _l("This is a translation of the entry"),
    "adapted_from": _l("This is adapted from the entry"),
}


class RelationRow(Form):
    """One typed link to another entry (a row of the entry form; CSRF is the outer form's)."""

    kind = SelectField(_l("Kind of link"), choices=choices(RELATION_KINDS), validate_choice=False)
    entry = StringField(_l("Linked entry"), validators=[Length(max=300)],
                        description=_l("Type words of its title and press “Find”, then pick it; or paste "
                                       "its address in Ideapankki."))
    pick = RadioField(_l("Pick the entry"), choices=[], validate_choice=False, validators=[Optional()])  # found


class EntryForm(SiteForm):
    """One form for the three types; the template shows the fields of the chosen type."""

    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=800)],  # needed to send, not to save
                            description=_l("One or two sentences: what is tried or proposed, and where."))
    body = TextAreaField(_l("Description"), validators=[Length(max=50_000)],
                         description=_l("Markdown: ## for headings, - for lists, [text](https://…) for links."))
    language = SelectField(_l("Language of the entry"), choices=choices({"fi": _l("Finnish"), "sv": _l("Swedish"),
                                                                "en": _l("English")}))
    municipalities = StringField(_l("Municipalities"), validators=[Length(max=2000)],
                                 description=_l("Separate with commas, e.g. Kajaani, Sotkamo. Swedish names work too."))
    themes = MultiCheckboxField(_l("Themes"), choices=choices({}))
    tags = StringField(_l("Keywords"), validators=[Length(max=500)],
                       description=_l("Separate with commas, in base form, e.g. omavalmentaja, työllisyys."))
    law_title = StringField(_l("Law or regulation"), validators=[Length(max=300)],
                            description=_l("Its name, e.g. Perusopetuslaki."))
    law_number = StringField(_l("Statute number"), validators=[Length(max=20)],
                             description=_l("As in Finlex, e.g. 628/1998."))
    law_section = StringField(_l("Section"), validators=[Length(max=100)], description=_l("e.g. 30 §"))
    links = TextAreaField(_l("Links"), validators=[Length(max=5000)],
                          description=_l("One per line: the title, a vertical bar and the address, e.g. "
                                         "Kajaanin kaupunki | https://www.kajaani.fi/"))
    relations = FieldList(FormField(RelationRow), min_entries=3, max_entries=10)
    period_start = DateField(_l("Start date"), validators=[Optional()])
    period_end = DateField(_l("End date"), validators=[Optional()])
    trial_status = SelectField(_l("Trial status"), validate_choice=False, choices=choices({"": "–", "planned": _l("Planned"),
                                                            "ongoing": _l("Ongoing"), "ended": _l("Ended")}))
    origin = StringField(_l("Origin"), validators=[Length(max=300)],
                         description=_l("Where the idea came from, e.g. Kuntamarkkinat 2022, hackathon."))
    action = RadioField(_l("What should be done with the rule?"), validators=[Optional()], choices=choices({
        "remove": _l("Remove it"), "loosen": _l("Loosen it"),
        "trial_exemption": _l("An exemption for a trial"), "reform": _l("Reform the task")}))
    justification = TextAreaField(_l("Why?"), validators=[Length(max=10_000)],
                                  description=_l("What the rule prevents or makes harder, and why a change would help."))
    savings = TextAreaField(_l("Expected savings"), validators=[Length(max=2000)])
    time = TextAreaField(_l("Time saved"), validators=[Length(max=2000)])
    people = TextAreaField(_l("People affected"), validators=[Length(max=2000)])
    proposer_role = RadioField(_l("You propose this as"), validators=[Optional()], choices=choices({
        "official": _l("a municipal official"), "elected": _l("an elected member"), "other": _l("other")}))


class NormStatusForm(SiteForm):
    """A moderator records a step in a published norm proposal's life."""

    status = SelectField(_l("What happened"), validators=[DataRequired(REQUIRED)])
    happened_on = DateField(_l("Date"), validators=[DataRequired(_l("Give the date as YYYY-MM-DD."))])
    amending_act = StringField(_l("Amending act"), validators=[Optional(), Length(max=20)],
                               description=_l("When the law changed: the number of the act, e.g. 1269/2020."))
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)],
                           description=_l("When the proposal does not proceed: why."))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)],
                         description=_l("Optional: a reference or a short explanation."))
