"""The register of organisations in forms: registration's choices by kind (in the reader's language), an admin's addition."""

from __future__ import annotations

from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from sqlmodel import Session
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from .. import organisations
from ..models import OrganisationKind as K
from .forms import REQUIRED, SiteForm

KIND_LABELS = {
    K.municipality.value: _l("Municipalities"),
    K.wellbeing_county.value: _l("Wellbeing services counties"),
    K.regional_council.value: _l("Regional councils"),
    K.joint_authority.value: _l("Joint municipal authorities"),
    K.association.value: _l("Association of Finnish Municipalities"),
    K.ministry.value: _l("Ministries"),
    K.group.value: _l("Other organisations"),
}
KIND_SINGULAR = {
    K.wellbeing_county.value: _l("Wellbeing services county"),
    K.regional_council.value: _l("Regional council"),
    K.joint_authority.value: _l("Joint municipal authority"),
    K.association.value: _l("Association"),
    K.ministry.value: _l("Ministry"),
    K.group.value: _l("Other organisation"),
}


def register_choices(session: Session) -> list[SelectChoice]:
    """Choices for a SelectField: a first empty option, then one option group per kind."""
    swedish = str(get_locale()) == "sv"
    options = [SelectChoice("", _("Choose your organisation"))]
    for kind, rows in organisations.choices(session).items():
        options += [SelectChoice(value, name_sv if swedish else name_fi, optgroup=str(KIND_LABELS[kind]))
                    for value, name_fi, name_sv in rows]
    return options


class OrganisationForm(SiteForm):
    """An admin adds an organisation to the register (municipalities come from the municipality register)."""

    kind = SelectField(_l("Kind"), validators=[DataRequired(REQUIRED)],
                       choices=[SelectChoice("", _l("Choose the kind")),
                                *(SelectChoice(kind, label) for kind, label in KIND_SINGULAR.items())])
    name = StringField(_l("Name in Finnish"), validators=[DataRequired(REQUIRED), Length(max=200)],
                       description=_l("The official name, e.g. Kainuun hyvinvointialue."))
    name_sv = StringField(_l("Name in Swedish"), validators=[Length(max=200)],
                          description=_l("The official Swedish name, if the organisation has one."))
