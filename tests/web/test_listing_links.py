"""A listing's filter and page links (templating.url_with) are the addresses url_for builds."""

import pytest
from flask import request, url_for

from ideapankki.web.templating import url_with, urls_with

QUERIES = [
    "", "?page=3", "?type=idea&page=2", "?theme=ymparisto&region=MK01&lang=sv",
    "?q=k%C3%A4%C3%A4k+s%26x%2Fy%3F&year=2024", "?type=&theme=ymparisto", "?a=1&a=2&page=4",
    "?x=%E2%82%AC+%25+%23+%3D+!$'()*,/:;?@",
]
CHANGES = [{}, {"page": 2}, {"type": "norm"}, {"theme": None}, {"q": "ä ö & = #"}, {"year": 2020, "page": 5},
           {"lang": None, "region": "MK19"}]


@pytest.mark.parametrize("path", ["/entries", "/themes/ymparisto", "/municipalities/091", "/search"])
@pytest.mark.parametrize("query", QUERIES)
def test_url_with_builds_what_url_for_builds(module_app, path, query):
    with module_app.test_request_context(path + query, base_url="http://localhost/sub"):
        module_app.preprocess_request()
        for changes in CHANGES:
            args = {k: v for k, v in request.args.items() if v}
            if "page" not in changes:
                args.pop("page", None)
            for key, value in changes.items():
                if value is None:
                    args.pop(key, None)
                else:
                    args[key] = value
            assert url_with(**changes) == url_for(request.endpoint, **request.view_args, **args)


@pytest.mark.parametrize("path", ["/entries", "/themes/ymparisto", "/municipalities/091", "/search"])
@pytest.mark.parametrize("query", QUERIES)
def test_urls_with_builds_what_url_with_builds(module_app, path, query):
    """A facet's links (templating.urls_with) are the links url_with builds one at a time."""
    values = [None, "norm", 2024, "ä ö & = #", "ymparisto", "3"]
    with module_app.test_request_context(path + query, base_url="http://localhost/sub"):
        module_app.preprocess_request()
        for name in ("type", "theme", "year", "page", "a", "x", "lang", "municipality"):
            assert urls_with(name, values) == [url_with(**{name: value}) for value in values]
