"""The analytics tools a team may already run, and the settings that send the site's events to one of them.

With `analytics: {provider: plausible}` the published site reports each settled search, result click and vote
through that tool's own page API instead of the beacon file (`kbgen/themes/default/assets/analytics.js` makes the
calls). Each event carries one property (Plausible, Umami) or path (GoatCounter) that holds all of it as an
*event record*, so `kbgen report` can read it back from the tool's export without joining columns the export
keeps apart (`kbgen/report/tools.py` reads them):

    kbgen:search|<result count>|<language>|<query>
    kbgen:click|<rank>|<article url>|<query>
    kbgen:vote|<1 helpful, 0 not>|<article url>

The query comes last, so it may hold `|`; in the URL `%` and `|` are written `%25` and `%7C`. Matomo has a site
search report of its own (`trackSiteSearch(keyword, category, resultsCount)`), which `kbgen report` reads instead.
"""

from __future__ import annotations

from typing import Any

from kbgen.config.kinds import Address
from kbgen.config.schema import Choice

#: The tools, each with what `site_id` means in its snippet (shown in errors and the docs).
PROVIDERS = {
    "plausible": "the domain of the site in Plausible (the snippet's data-domain)",
    "umami": "the website ID (the snippet's data-website-id)",
    "matomo": "the site ID (the snippet's setSiteId)",
    "goatcounter": "the count URL, https://MYCODE.goatcounter.com/count (the snippet's data-goatcounter)",
}
#: Tools whose script does nothing without `site_id`: Plausible's newer per-site script (pa-….js) knows its site.
_NEEDS_SITE_ID = ("umami", "matomo", "goatcounter")

RECORD_PREFIX = "kbgen:"
#: `kbgen report --log-format` names of the tools' exports that `kbgen/report/tools.py` reads.
EXPORT_FORMATS = ("plausible-csv", "umami-json", "matomo", "matomo-no-result", "goatcounter-csv")

ANALYTICS_DEFAULTS: dict[str, Any] = {"endpoint": "_kb/e.gif", "provider": None, "script": None, "site_id": None}
ANALYTICS_KINDS = {"provider": Choice(*PROVIDERS), "script": Address()}


def check_analytics_settings(table: dict[str, Any]) -> None:
    """A combination of `analytics` settings that would send nothing anywhere is an error, said here rather than
    found out from an empty report weeks later."""
    provider, script, site_id = table.get("provider"), table.get("script"), table.get("site_id")
    if (script or site_id) and not provider:
        raise ValueError(f"'script' and 'site_id' load an analytics tool: say which with 'provider' "
                         f"({', '.join(PROVIDERS)})")
    if script and not site_id and provider in _NEEDS_SITE_ID:
        raise ValueError(f"the {provider} script needs 'site_id': {PROVIDERS[provider]}")
    if provider == "goatcounter" and site_id and not site_id.startswith(("https://", "http://", "//")):
        raise ValueError(f"'site_id' of goatcounter is {PROVIDERS['goatcounter']}, got {site_id!r}")
