"""The accessibility statement (law 306/2019): in every language, linked from every page."""

from __future__ import annotations

import pytest

from ideapankki.web.views.accessibility import AXE_PAGE_TYPES, STATEMENT_DATE

HEADINGS = {"fi": "Saavutettavuusseloste", "sv": "Tillgänglighetsutlåtande", "en": "Accessibility statement"}


@pytest.mark.parametrize("lang", HEADINGS)
def test_statement_in_every_language(module_client, lang):
    page = module_client.get(f"/accessibility?lang={lang}").text
    assert f"<h1>{HEADINGS[lang]}</h1>" in page
    assert "WCAG 2.1" in page and "306/2019" in page
    assert str(AXE_PAGE_TYPES * 3) in page  # how many page×language checks axe made
    assert 'href="mailto:ideapankki@localhost"' in page  # default: the site's sender address
    assert "www.saavutettavuusvaatimukset.fi" in page
    assert str(STATEMENT_DATE.year) in page


def test_statement_names_the_supervisor_in_finnish(module_client):
    page = module_client.get("/accessibility?lang=fi").text
    assert ("Liikenne- ja viestintävirasto Traficom, digitaalisen esteettömyyden valvontayksikkö, "
            '<a href="https://www.saavutettavuusvaatimukset.fi"') in page


def test_feedback_address_is_configurable(app, client):
    app.config["ACCESSIBILITY_FEEDBACK"] = "saavutettavuus@kuntaliitto.fi"
    assert 'href="mailto:saavutettavuus@kuntaliitto.fi"' in client.get("/accessibility").text


def test_feedback_address_follows_the_mail_sender(client, monkeypatch):
    monkeypatch.setenv("IDEAPANKKI_MAIL_FROM", "Ideapankki <palaute@kuntaliitto.fi>")
    assert 'href="mailto:palaute@kuntaliitto.fi"' in client.get("/accessibility").text


@pytest.mark.parametrize("path", ["/", "/entries", "/search?q=kokeilu", "/login", "/statistics", "/data",
                                  "/entries/no-such-entry"])
def test_every_page_links_to_the_statement(module_client, path):
    assert 'href="/accessibility"' in module_client.get(path).text
