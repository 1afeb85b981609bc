"""``kemitraan viz``, ``analyze`` and ``export-network``: thin click commands over network/render.

Heavy imports (networkx, the renderer) happen inside the commands so ``kemitraan --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ..charts import CHART_KINDS, CHART_VIEWS, FIGURE_FORMATS, PROFILE_BY, VEGA_VIEWS
from ..network.names import EXPORT_FORMATS, MEASURES, VIEWS
from .common import Env, emit, handle_errors, lang_option, output_option, parse_params, pass_env


def filter_options(fn: Callable) -> Callable:
    """--type, --sector, --country, --from-year, --to-year, --actor-kind (and the query options)."""
    options = [
        click.option(
            "--type",
            "types",
            multiple=True,
            metavar="TYPE",
            help="Partnership type (IRI, CURIE or name, e.g. triple-helix); repeatable.",
        ),
        click.option(
            "--sector",
            "sectors",
            multiple=True,
            metavar="SECTOR",
            help="Sector, narrower ones included (e.g. infrastructure); repeatable.",
        ),
        click.option(
            "--country",
            "countries",
            multiple=True,
            metavar="COUNTRY",
            help="Country a partnership takes place in (e.g. id, jp); repeatable.",
        ),
        click.option("--from-year", type=int, metavar="YEAR", help="Partnerships running in or after YEAR."),
        click.option("--to-year", type=int, metavar="YEAR", help="Partnerships started in or before YEAR."),
        click.option(
            "--actor-kind",
            "actor_kinds",
            multiple=True,
            metavar="KIND",
            help="Only parties of this class or a subclass (e.g. Company); repeatable.",
        ),
        click.option(
            "--query",
            "query_name",
            metavar="NAME",
            help="For the query view: a library query name, an .rq file or SPARQL text.",
        ),
        click.option(
            "--param",
            "-p",
            "params",
            multiple=True,
            metavar="NAME=VALUE",
            help="A parameter of --query (repeatable).",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _graph(
    env: Env,
    view: str,
    lang: str,
    types,
    sectors,
    countries,
    from_year,
    to_year,
    actor_kinds,
    query_name,
    params,
):
    from ..network import Filters, build_view

    if view == "query" and not query_name:
        raise click.UsageError(
            "the query view needs --query NAME (a library query, an .rq file or SPARQL text)"
        )
    if view != "query" and (query_name or params):
        raise click.UsageError("--query and --param belong to the query view")
    filters = Filters(
        types=types,
        sectors=sectors,
        countries=countries,
        from_year=from_year,
        to_year=to_year,
        actor_kinds=actor_kinds,
    )
    return build_view(
        env.kg().reader, view, filters=filters, lang=lang, query=query_name, params=parse_params(params)
    )


def _flags_given(values: dict) -> list[str]:
    """The long flags of the options in ``values`` that were given (a true value)."""
    params = click.get_current_context().command.params
    return [max(p.opts, key=len) for p in params if p.name in values and values[p.name]]


@click.command()
@click.argument("view", type=click.Choice(VIEWS + CHART_VIEWS))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The HTML file to write (atomically); for any view also a static "
    "figure by its suffix: .svg, .png or .pdf.",
)
@lang_option
@click.option(
    "--chart",
    type=click.Choice(CHART_KINDS),
    default=None,
    help="For the query view: draw the SELECT as a bar, line or heatmap chart instead of a network.",
)
@click.option("--width", type=click.IntRange(min=50, max=20000), default=None, metavar="PX",
              help="Figure width, in pixels of 1/72 inch (static figures).")
@click.option("--height", type=click.IntRange(min=50, max=20000), default=None, metavar="PX",
              help="Figure height, in pixels of 1/72 inch (static figures).")
@click.option("--dpi", type=click.FloatRange(min=10, max=1200), default=None, metavar="DPI",
              help="Resolution of a .png figure  [default: 150].")
@click.option(
    "--size-by",
    type=click.Choice(MEASURES),
    default=None,
    help="Node size measure (the page can switch between the measures it carries)  [default: degree].",
)
@click.option(
    "--by",
    type=click.Choice(PROFILE_BY),
    default=None,
    help="For the profile: its rows are partnership kinds, sectors or countries  [default: kind].",
)
@filter_options
@pass_env
@handle_errors
def viz(env: Env, view, output, lang, chart, width, height, dpi, size_by, by, **kw) -> None:
    """Draw a VIEW as one self-contained, interactive HTML page.

    VIEW is stakeholders (partnerships and parties), actors (co-partnership), concepts
    (types, sectors, benefits, characteristics), ontology, query (--query NAME), or profile
    (a heatmap of the kinds, --by sector or country, against the benefits and characteristics),
    timeline (cases by start and end year and kind), map (countries by cases, places as points),
    or query --chart bar|line|heatmap (any SELECT, columns picked by type). Every view is also
    written as a static figure when FILE ends in .svg, .png or .pdf (--width, --height, --dpi).
    """
    from ..atomic import write_text
    from ..render import render_html

    if view in VEGA_VIEWS and (view != "query" or chart):
        _vega_view(env, view, output, lang, chart, width, height, dpi, size_by, by, **kw)
        return
    if output.suffix.lower().lstrip(".") in FIGURE_FORMATS:
        _figure(env, view, output, lang, chart, width, height, dpi, size_by, by, **kw)
        return
    figure_flags = _flags_given({"chart": chart, "width": width, "height": height, "dpi": dpi})
    if figure_flags:
        raise click.UsageError(f"{', '.join(figure_flags)}: for static figures (.svg, .png, .pdf) and query --chart")
    if view in CHART_VIEWS:
        used = _flags_given({"size_by": size_by, **kw})
        if used:
            raise click.UsageError(f"{', '.join(used)} belong to the network views, not to {view}")
        from ..render import write_profile

        p = write_profile(env.kg().reader, output, by=by or "kind", lang=lang)
        env.say(f"wrote {output} ({len(p.rows)} rows, {len(p.columns)} columns, {p.total} cases)", err=True)
        return
    if by:
        raise click.UsageError("--by belongs to the profile view")
    size_by = size_by or "degree"
    graph = _graph(env, view, lang, **kw)
    write_text(output, render_html(graph, lang=lang, size_by=size_by))
    env.say(f"wrote {output} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)", err=True)


def _figure(env: Env, view, output, lang, chart, width, height, dpi, size_by, by, **kw) -> None:
    """A network view or the profile as a static figure (.svg, .png, .pdf) through ``render.figure``."""
    from ..render.figure import write_network_figure, write_profile_figure

    if chart:
        raise click.UsageError("--chart belongs to the query view")
    if view in CHART_VIEWS:
        used = _flags_given({"size_by": size_by, **kw})
        if used:
            raise click.UsageError(f"{', '.join(used)} belong to the network views, not to {view}")
        info = write_profile_figure(env.kg().reader, output, by=by or "kind", lang=lang, width=width,
                                    height=height, dpi=dpi or 150)
    else:
        if by:
            raise click.UsageError("--by belongs to the profile view")
        graph = _graph(env, view, lang, **kw)
        info = write_network_figure(graph, output, lang=lang, size_by=size_by or "degree", width=width,
                                    height=height, dpi=dpi or 150)
    env.say(f"wrote {output} ({info.format}, {len(info.labels)} labels)", err=True)


def _vega_view(env: Env, view, output, lang, chart, width, height, dpi, size_by, by, *, types, sectors, countries,
               from_year, to_year, actor_kinds, query_name, params) -> None:
    """timeline, map, query --chart: one page or figure through ``render.write_chart``."""
    from ..network import Filters
    from ..render import write_chart

    if view == "query":
        if not query_name:
            raise click.UsageError("query --chart needs --query NAME (a library query, an .rq file or SPARQL text)")
        used = _flags_given({"size_by": size_by, "by": by, "types": types, "sectors": sectors,
                             "countries": countries, "from_year": from_year, "to_year": to_year,
                             "actor_kinds": actor_kinds})
    else:
        used = _flags_given({"size_by": size_by, "by": by, "chart": chart, "query_name": query_name,
                             "params": params})
    if used:
        raise click.UsageError(f"{', '.join(used)} do not apply to {view}" + (" --chart" if view == "query" else ""))
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in FIGURE_FORMATS and (width or height or dpi):
        raise click.UsageError("--width, --height and --dpi are for static figures (.svg, .png, .pdf)")
    filters = Filters(types=types, sectors=sectors, countries=countries, from_year=from_year, to_year=to_year,
                      actor_kinds=actor_kinds)
    data = write_chart(env.kg().reader, view, output, lang=lang, filters=filters, query=query_name,
                       params=parse_params(params), chart=chart or "bar", width=width, height=height,
                       dpi=dpi or 150)
    if view == "timeline":
        what = f"{data.total} cases, {len(data.bars)} bars"
    elif view == "map":
        what = f"{data.total} cases, {len(data.countries)} countries, {len(data.places)} places"
    else:
        what = f"{len(data.rows)} rows, {chart} of ?{data.category}"
    env.say(f"wrote {output} ({what})", err=True)


@click.command()
@click.argument("view", type=click.Choice(VIEWS))
@click.option(
    "--top", type=click.IntRange(min=1), default=20, show_default=True, help="Show the first N nodes."
)
@click.option("--all", "show_all", is_flag=True, help="Show every node (overrides --top).")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
@lang_option
@filter_options
@output_option
@pass_env
@handle_errors
def analyze(env: Env, view, top, show_all, fmt, lang, output, **kw) -> None:
    """Centralities (degree, betweenness, eigenvector), communities and components of a VIEW."""
    from ..network.analytics import analyze as run_analysis

    graph = _graph(env, view, lang, **kw)
    result = run_analysis(graph, top=None if show_all else top)
    emit(result.serialize(fmt), output, display=fmt == "table")


@click.command("export-network")
@click.argument("view", type=click.Choice(VIEWS))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="graphml",
    show_default=True,
    help="GraphML or GEXF (Gephi, Cytoscape) or node-link JSON (D3).",
)
@click.option(
    "--analytics",
    is_flag=True,
    help="Add degree, betweenness, eigenvector, community and component to every node.",
)
@lang_option
@filter_options
@output_option
@pass_env
@handle_errors
def export_network(env: Env, view, fmt, analytics, lang, output, **kw) -> None:
    """Write a network VIEW as GraphML, GEXF or node-link JSON."""
    from ..network.analytics import with_analytics
    from ..network.export import export_text

    graph = _graph(env, view, lang, **kw)
    if analytics:
        graph = with_analytics(graph)
    warnings: list[str] = []
    text = export_text(graph, fmt, warnings)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    emit(text, output)
    if output is not None:
        env.say(
            f"wrote {output} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)", err=True
        )


__all__ = ["analyze", "export_network", "filter_options", "viz"]
