"""The `kbgen.yml` an import writes: only settings this kbgen knows, the others said in the summary."""

from __future__ import annotations

from kbgen.importing.plan import ImportPlan


def known_settings(wanted: dict, where: str, result: ImportPlan) -> dict:
    from kbgen.config.settings import CONFIG_FIELDS

    names = {f.name for f in CONFIG_FIELDS}
    config = {}
    for key, value in wanted.items():
        if value in (None, "", [], {}):
            continue
        if key in names:
            config[key] = value
        else:
            result.note(where, f"{key}: {value} has no kbgen setting yet; not carried over")
    return config
