"""``sdpatlas site``: the web explorer as static files for any static host."""

from __future__ import annotations

from pathlib import Path

import click

from sdpatlas.cli._common import BadInput, CheckFailed, State, describe_findings, pass_state
from sdpatlas.findings import DatasetError


@click.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace OUT_DIR even if it holds files this tool did not write.")
@pass_state
def site(state: State, out_dir: Path, force: bool) -> None:
    """Write the explorer as static files in OUT_DIR.

    Every page, API answer (JSON and CSV) and download that needs no posted document
    and no other date, as of today, with relative links: serve OUT_DIR from any folder
    or prefix with any static file server. Pages whose forms need the server say so.
    OUT_DIR is replaced whole only when it is new, empty, or written by this tool.
    """
    from sdpatlas.store import StoreError
    from sdpatlas.web._static_site import build_site

    try:
        summary = build_site(state.data_dir, out_dir, force=force)
    except DatasetError as exc:
        raise BadInput(describe_findings(exc)) from exc
    except StoreError as exc:
        raise BadInput(str(exc)) from exc
    click.echo(f"wrote {summary.files} files ({summary.size / 1e6:.1f} MB, {summary.pages} "
               f"pages) to {summary.folder} in {summary.seconds:.1f} s", err=True)
    if summary.failed:
        raise CheckFailed(f"the explorer failed on {len(summary.failed)} address(es), first "
                          f"{summary.failed[0]}; the site was written, their links lead to "
                          "the page on what needs the server", code="site-incomplete",
                          hint="see the errors above; `sdpatlas serve` shows the same pages")


COMMANDS = (site,)
