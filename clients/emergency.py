"""Who to call in an emergency, from a person's time zone (the only country hint we keep).

The facts are the red-flag summary's: go to the emergency department now; show
the number of the person's country where the zone tells it, otherwise say
"your local emergency number".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmergencyNumber:
    number: str
    advice: str = ""  # a non-emergency line for advice, where one exists

    @property
    def known(self) -> bool:
        return bool(self.number)


UK = EmergencyNumber("999", "NHS 111")
UK_ZONES = {
    "Europe/London",
    "Europe/Belfast",
    "Europe/Guernsey",
    "Europe/Isle_of_Man",
    "Europe/Jersey",
}
NORTH_AMERICA = EmergencyNumber("911")
EUROPE = EmergencyNumber("112")
NUMBERS_BY_ZONE = {
    "Australia/": EmergencyNumber("000"),
    "Pacific/Auckland": EmergencyNumber("111"),
    "Pacific/Chatham": EmergencyNumber("111"),
    "America/Sao_Paulo": EmergencyNumber("192"),
    "America/Mexico_City": EmergencyNumber("911"),
    "Asia/Kolkata": EmergencyNumber("112"),
}
NORTH_AMERICAN_CITIES = {
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "America/Toronto",
    "America/Vancouver",
    "America/Edmonton",
    "America/Winnipeg",
    "America/Halifax",
    "America/St_Johns",
    "America/Detroit",
    "America/Boise",
    "Pacific/Honolulu",
}
EU_EXCEPTIONS = {"Europe/Moscow", "Europe/Istanbul", "Europe/Minsk", "Europe/Kyiv"}


def emergency_number(zone: str) -> EmergencyNumber:
    """The emergency number for a zone's country, or an unknown one (no number)."""
    if zone in UK_ZONES:
        return UK
    if zone in NORTH_AMERICAN_CITIES:
        return NORTH_AMERICA
    for prefix, number in NUMBERS_BY_ZONE.items():
        if zone == prefix or (prefix.endswith("/") and zone.startswith(prefix)):
            return number
    if zone == "Europe/Dublin" or (zone.startswith("Europe/") and zone not in EU_EXCEPTIONS):
        return EUROPE
    return EmergencyNumber("")
