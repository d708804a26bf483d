"""codes: the actor codes users name dyads by — ISO 3166-1 alpha-3 countries and the own codes
of international and non-governmental organisations (data/actors/groups.tsv, column `code`).

An organisation keeps `Actor.country` = "IGO"/"NGO" (the coder's and the gold standard's
convention); its own code is derived from its KB id here and is what the store's dyads, the
timelines and the exports' `*_code` columns use: "EU sanctioned Belarus" is the dyad EU–BLR.
"""

from __future__ import annotations

import difflib
from functools import cache

from .datafiles import read_table

# Codes that stand for a kind of body rather than one (an organisation the KB has no code for).
GENERIC_CODES = {"IGO": "international organisation", "NGO": "non-governmental organisation", "MNC": "multinational company"}
# How many near codes an unknown code's error suggests.
SUGGESTIONS = 3


class UnknownCode(ValueError):
    """A country or organisation code detente does not know; `suggestions` are the nearest."""

    def __init__(self, code: str, suggestions: list[str]):
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"{code!r} is not a known country (ISO 3166-1 alpha-3) or organisation code{hint}")
        self.code, self.suggestions = code, suggestions


@cache
def org_codes() -> dict[str, str]:
    """KB id → the organisation's own code, for every group row with one."""
    return {row["kb_id"]: row["code"] for row in read_table("actors/groups.tsv") if row.get("code")}


@cache
def known_codes() -> dict[str, str]:
    """Every code a dyad may name → its name."""
    names = {row["iso3"]: row["name"] for row in read_table("actors/countries.tsv")}
    names.update({row["code"]: row["name"] for row in read_table("actors/groups.tsv") if row.get("code")})
    names.update(GENERIC_CODES)
    return names


def party_code(country: str | None, kb_id: str | None) -> str | None:
    """The code an actor takes in a dyad: its organisation's own code, else its country."""
    return org_codes().get(kb_id or "") or country


def check_code(code: str) -> str:
    """The code in capitals, or UnknownCode naming the nearest valid codes (by code or by name:
    'India' suggests IND)."""
    upper = code.strip().upper()
    known = known_codes()
    if upper in known:
        return upper
    by_name = {name.upper(): c for c, name in known.items()}
    near = difflib.get_close_matches(upper, list(by_name), n=SUGGESTIONS, cutoff=0.6)
    suggestions = [by_name[name] for name in near]
    suggestions += [c for c in difflib.get_close_matches(upper, list(known), n=SUGGESTIONS, cutoff=0.3) if c not in suggestions]
    raise UnknownCode(code, suggestions[:SUGGESTIONS])
