"""The one context of a page about a person: the header, the flags, the access it rests on."""

from __future__ import annotations

from typing import Any

import flask

from caremap.flags import flags_for
from caremap.people.loader import LoadedPerson


def person_page(template: str, loaded: LoadedPerson, status: int = 200, **context: Any):
    """Render a page about one person with the header every such page shows (name, NHS
    number, flags, the break-glass banner), so no page can forget the flags or show them
    to someone who sees identity only."""
    return (
        flask.render_template(
            template,
            person=loaded.person,
            access=loaded.access,
            glass=loaded.break_glass,
            flags=flags_for(loaded.person) if loaded.full else [],
            **context,
        ),
        status,
    )
