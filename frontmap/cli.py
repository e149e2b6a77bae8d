"""The ``frontmap`` command: a thin layer over the library (sqlite-utils style).

Library errors become one clear line on stderr and a non-zero exit: 1 when the run failed or some
articles failed, 2 for a usage error.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from frontmap import __version__
from frontmap.config import Config
from frontmap.errors import ConfigError, FrontmapError, InputError
from frontmap.resources import examples_dir

EXTRA_FORMATS = ("gpkg", "parquet")


class _OneLineErrors(click.Group):
    """A group whose usage errors are one line on stderr and exit status 2.

    click's own form is a usage line, a hint and a blank line before the error; an analyst
    reading a script's log wants just the error.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            return super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `frontmap`: the help is the message
            click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "frontmap"
            click.echo(f"frontmap: {exc.format_message().rstrip('.')} (see '{command} --help')", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("frontmap: aborted", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            click.echo(f"frontmap: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="frontmap")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """frontmap: turn war reporting into maps.

    Reads a folder of articles, geocodes every place from a local gazetteer (no network), pulls
    out each claim of movement or fighting, and writes an offline HTML map with a layer per
    date plus GeoJSON for GIS tools.
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")


@main.command("map")
@click.argument("articles", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder for map.html, claims/areas/places.geojson and report.json.")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Extra gazetteer file or folder to merge over the shipped one (repeatable).")
@click.option("--tiles/--no-tiles", default=False, show_default=True,
              help="Offer online tile layers in the map (the map never needs them).")
@click.option("--aggregate-over", type=click.IntRange(min=0), default=5000, show_default=True, metavar="N",
              help="Over N claims the map counts them by area (grid cells) instead of drawing each; 0: always.")
@click.option("--include-hidden", is_flag=True, help="Also read hidden files and folders.")
@click.option("--max-file-mb", type=click.FloatRange(min=0.001), default=20.0, show_default=True,
              help="Skip files larger than this.")
@click.option("--format", "formats", multiple=True, type=click.Choice(EXTRA_FORMATS),
              help="Also write GeoPackage (frontmap.gpkg, a layer per collection) or GeoParquet (repeatable).")
@click.option("--csv", "csv", is_flag=True, help="Also write claims.csv, a flat table with lat/lon columns.")
@click.option("--json-field", "json_fields", multiple=True, metavar="KIND=NAME",
              help="Read JSON field NAME as KIND (text, title, date, source, url) before the common names; "
                   "NAME may be a dotted path (meta.published). Repeatable.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract articles in this many worker processes (outputs are identical to --jobs 1).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Extract articles on a running Dask cluster (needs frontmap[dask]).")
@click.option("--dask-local", type=click.IntRange(min=1), default=None, metavar="N",
              help="Extract articles on a local Dask cluster of N worker processes (needs frontmap[dask]).")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse the results of files unchanged since the last run (incremental runs).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the incremental cache  [default: OUTPUT/.frontmap-cache]")
def map_command(
    articles: Path | None,
    output: Path,
    gazetteers: tuple[Path, ...],
    tiles: bool,
    aggregate_over: int,
    include_hidden: bool,
    max_file_mb: float,
    formats: tuple[str, ...],
    csv: bool,
    json_fields: tuple[str, ...],
    quiet: bool,
    jobs: int,
    scheduler: str | None,
    dask_local: int | None,
    cache: bool,
    cache_dir: Path | None,
) -> None:
    """Map the claims in ARTICLES (a folder, read recursively, or one file).

    With no ARTICLES, maps the embedded example articles.
    """
    from frontmap.pipeline import count_files, run

    source = articles if articles is not None else examples_dir()
    if not source.exists():
        raise click.BadParameter(f"{source}: no such file or folder", param_hint="ARTICLES")
    from frontmap.ingest import parse_json_field_options

    try:
        fields = parse_json_field_options(json_fields)
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="--json-field") from None
    config = Config(
        gazetteer_paths=gazetteers,
        max_file_bytes=int(max_file_mb * 1024 * 1024),
        include_hidden=include_hidden,
        tiles=tiles,
        map_aggregate_over=aggregate_over,
        quiet=quiet,
        formats=tuple(sorted(set(formats))),
        csv=csv,
        json_fields=fields,
        jobs=jobs,
        scheduler=scheduler,
        dask_local=dask_local or 0,
        cache=cache,
        cache_dir=cache_dir,
    )
    try:
        if quiet:
            summary = run(source, output, config=config)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            total = count_files(source, config=config)
            with Progress(TextColumn("[bold]reading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          transient=True, disable=total < 2) as progress:
                task = progress.add_task("articles", total=total)
                summary = run(source, output, config=config, on_file=lambda _o: progress.advance(task))
    except (ConfigError, InputError) as exc:  # a bad path or option: a usage error
        click.echo(f"frontmap: {exc}", err=True)
        sys.exit(2)
    except FrontmapError as exc:
        click.echo(f"frontmap: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:  # the file system refused something the library did not foresee
        click.echo(f"frontmap: {exc.filename or 'error'}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    if not quiet:
        click.echo(
            f"{summary.articles} articles from {summary.read} files read"
            f" ({summary.skipped} skipped, {summary.failed} failed); "
            f"places resolved {summary.places_resolved}, unresolved {summary.places_unresolved}; "
            f"claims {summary.claims} ({summary.located} on the map)"
        )
        if summary.cached_files:
            click.echo(f"  {len(summary.cached_files)} unchanged files taken from the cache")
        for path in summary.outputs.values():
            click.echo(f"  {path}")
        click.echo(f"  in {summary.timings.get('total_s', 0):.2f} s")
        problems = [f for f in summary.files if f.status != "read"]
        for outcome in problems[:10]:
            click.echo(f"  {outcome.status}: {outcome.path}: {outcome.reason}", err=True)
        if len(problems) > 10:
            click.echo(f"  … and {len(problems) - 10} more (see report.json)", err=True)
    if summary.failed:
        sys.exit(1)


def _register_gazetteer_commands() -> None:
    from frontmap.gazetteer.cli import gazetteer_group, geocode_command

    main.add_command(geocode_command, "geocode")
    main.add_command(gazetteer_group, "gazetteer")


_register_gazetteer_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
