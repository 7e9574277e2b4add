"""The site's pages and APIs: one blueprint per area. Views stay thin: domain functions decide."""

from __future__ import annotations

from flask import Flask

from ..extensions import csrf
from . import (accessibility, admin, adoptions, api, auth, contribute, crawl, downloads, entry_feed, feeds, follow,
               health, language, login_link, moderate, norm_status, practice,
               privacy, programmes, programmes_api, public, reports, search, stats,
               submit, vocabulary)
from . import history, status  # the version history; the author's status page
from . import notices  # moderators' header counts and notice preference
from . import account_language  # the language of an account's mail


def init_app(app: Flask) -> None:
    for blueprint in (language.bp, public.bp, search.bp, api.bp, auth.bp, login_link.bp, admin.bp, submit.bp,
                      moderate.bp, downloads.bp, norm_status.bp, stats.bp, programmes_api.bp, crawl.bp, health.bp,
                      accessibility.bp, privacy.bp, vocabulary.bp, account_language.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(status.bp), app.register_blueprint(history.bp)  # review's
    csrf.exempt(api.bp)  # token-less JSON for every origin; it reads only
    feeds.init_app(app)  # blueprint + the page_feed template helper
    programmes.init_app(app)  # blueprint + the programme_of template helper
    contribute.init_app(app)  # blueprint + the may_edit_entry template helper
    notices.init_app(app)  # blueprint + the moderator_waiting template helper
    follow.init_app(app)  # blueprint + the follow_link template helper
    adoptions.init_app(app)  # blueprint + the entry page's adoption_panel helper
    entry_feed.init_app(app)  # one entry's feed of adopters and versions
    practice.init_app(app)  # evidence confirmation + the structured description's template helpers
    reports.init_app(app)  # blueprint + the open_reports_count template helper
