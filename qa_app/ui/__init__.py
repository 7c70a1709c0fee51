"""What every page shares: the main menu, the template filters and the names of stored codes."""

from __future__ import annotations

from flask import Flask


def init_ui(app: Flask) -> None:
    """Give the templates the menu, the filters and `label` (imported late: labels need models)."""
    from .filters import at_render_time, init_filters
    from .header import init_header
    from .labels import band_label, channel_names, history_field, label, score_band
    from .measures import measure_figure, measure_label

    init_header(app)
    init_filters(app)
    app.jinja_env.filters.update(label=at_render_time(label), band=at_render_time(score_band))
    app.jinja_env.globals.update(
        label=label,
        band_label=band_label,
        channel_names=channel_names,
        history_field=history_field,
        measure_label=measure_label,
        measure_figure=measure_figure,
    )
