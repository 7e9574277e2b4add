"""The listing partials the Python markup replaced (templates/partials/filters.html and
_facets_jump.html, as they were), kept as the reference the byte-for-byte tests render: paste
OLD_PARTIALS at the top of a template string to use its macros as the pages used them (imported
with context). The facet sidebar is the macro's own loop, before any of it moved to Python."""

OLD_PARTIALS = """{% macro facet_value_label(name, value) -%}
  {%- if name == 'type' %}{{ labels.TYPE_LABELS[value] }}
  {%- elif name == 'theme' %}{{ labels.THEME_LABELS[value] }}
  {%- elif name == 'trial_status' %}{{ labels.TRIAL_STATUS_LABELS[value] }}
  {%- elif name == 'norm_status' %}{{ labels.NORM_STATUS_LABELS[value] }}
  {%- elif name == 'evidence' %}{{ evidence_label(value) }}
  {%- elif name == 'region' %}{{ region_name(*regions[value]) if value in regions else value }}
  {%- elif name == 'municipality' %}{{ municipality_name(municipalities[value]) if value in municipalities else value }}
  {%- else %}{{ value }}{% endif -%}
{%- endmacro %}
{% set facet_titles = {
  'type': _("Type"), 'theme': _("Theme"), 'region': _("Region"),
  'municipality': _("Municipality"), 'year': _("Year"), 'trial_status': _("Trial status"),
  'norm_status': _("Status of the proposal"), 'evidence': _("Evidence level")} %}
{% macro active_filters(filters, fixed=()) %}
{% set active = filters.active() %}
{% if active|length > fixed|length %}
<div class="active-filters">
  <h2 class="visually-hidden">{{ _("Active filters") }}</h2>
  <ul>
  {% for name, value in active.items() if name not in fixed %}
    <li><a class="chip" href="{{ url_with(**{name: None}) }}">{{ facet_titles[name] }}: {{ facet_value_label(name, value) }} <span class="chip-x" aria-hidden="true">×</span><span class="visually-hidden">{{ _("(remove filter)") }}</span></a></li>
  {% endfor %}
  </ul>
  <p><a href="{{ url_for(request.endpoint, **(request.view_args or {})) }}">{{ _("Clear all filters") }}</a></p>
</div>
{% endif %}
{% endmacro %}
{% macro facet_sidebar(result, filters, fixed=()) %}
<aside class="facets" aria-labelledby="facets-title">
  <h2 id="facets-title">{{ _("Narrow down") }}</h2>
  {% set active = filters.active() %}
  {% for name in ['type', 'theme', 'region', 'municipality', 'year', 'trial_status', 'norm_status', 'evidence'] if name not in fixed %}
  {% set facet = result.facets[name] %}
  {% if facet.counts %}
  <details class="facet"{% if name in ('type', 'theme') or name in active %} open{% endif %}>
    <summary><h3>{{ facet_titles[name] }}</h3></summary>
    <ul>
    {% for value, count in facet.counts[:15] %}
      {% set is_active = active.get(name)|string == value|string %}
      <li>{% if is_active %}<a href="{{ url_with(**{name: None}) }}" aria-current="true" class="facet-active">{{ facet_value_label(name, value) }} <span class="count">({{ count }})</span><span class="visually-hidden"> {{ _("(selected, remove filter)") }}</span></a>{% else %}<a href="{{ url_with(**{name: value}) }}">{{ facet_value_label(name, value) }} <span class="count">({{ count }})</span></a>{% endif %}</li>
    {% endfor %}
    </ul>
  </details>
  {% endif %}
  {% endfor %}
</aside>
{% endmacro %}
{# partials/_facets_jump.html, which a page included (no newline of its own after it). #}
{% macro facets_jump() %}<p class="facets-jump"><a class="button secondary" href="#facets-title">{{ _("Narrow down") }}{% if filters.active() %} <span class="nav-count">{{ filters.active()|length }}<span class="visually-hidden"> {{ _("in use") }}</span></span>{% endif %}</a></p>{% endmacro %}
"""
