"""Constants and helpers shared by the drafting tests."""
from __future__ import annotations

BASE = "/api/v1/spaces/quartier-nord/drafting"
TEXT = ("# Avis sur les mobilités douces\n\n"
        "Le conseil demande des pistes cyclables séparées sur l’avenue Jaurès.\n\n"
        "Les trottoirs de la rue des Lilas sont trop étroits pour les poussettes.\n\n"
        "Un garage à vélos près du marché encouragerait les habitants.\n\n"
        "Le conseil souhaite être associé au calendrier des travaux.")


def ids_of(draft) -> list[str]:
    from placette_plugins.drafting import service
    return [p.id for p in service.paragraphs(service.version_of(draft))]


def code(response) -> str:
    return response.get_json()["error"]["code"]
