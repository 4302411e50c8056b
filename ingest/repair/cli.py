"""`kehoach repair FILE` and `kehoach eval repair` (registered in kehoach/cli.py)."""

from __future__ import annotations

import json

import click


@click.command("repair")
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@click.option("--json", "as_json", is_flag=True, help="Per-line confidence and the changes made, as JSON.")
@click.option("--force", is_flag=True, help="Repair even if the text does not look like it needs it.")
@click.option("--build-model", is_flag=True, help="Rebuild ingest/data/repair-model.json.gz from its sources.")
def repair_command(file: str | None, as_json: bool, force: bool, build_model: bool) -> None:
    """Restore Vietnamese diacritics in an OCR'd plan and print the repaired text."""
    if build_model:
        from .build import main as build_main

        build_main([])
        if file is None:
            return
    if file is None:
        raise click.UsageError("give a FILE to repair (or --build-model)")
    from ..errors import UnreadableFileError
    from ..reading import read_plan_text
    from .detect import diacritic_score, needs_repair
    from .restore import repair_document

    try:
        source = read_plan_text(file)
    except UnreadableFileError as exc:
        raise click.ClickException(str(exc)) from exc
    text = source.text
    if not force and not needs_repair(text):
        if as_json:
            click.echo(json.dumps({"needs_repair": False, "score": round(diacritic_score(text), 4), "text": text, "changes": []}, ensure_ascii=False, indent=2))
        else:
            click.echo(f"{file}: diacritic score {diacritic_score(text):.2f}: the text looks clean, nothing repaired (use --force)", err=True)
            click.echo(text, nl=False)
        return
    result = repair_document(text)
    if as_json:
        data = result.to_json()
        data = {"needs_repair": needs_repair(text), "score": round(diacritic_score(text), 4), **data}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(result.text, nl=False)


@click.command("repair")
@click.option("--no-held-out", is_flag=True, help="Skip the held-out stripped-plan evaluation (rebuilds 4 models).")
@click.option("--json", "as_json", is_flag=True)
def eval_repair_command(no_held_out: bool, as_json: bool) -> None:
    """Word accuracy of diacritic repair: OCR gold lines, held-out stripped plans, clean docs."""
    from .evaluate import run

    lines: list[str] = []
    report = run(held_out=not no_held_out, out=(lines.append if as_json else click.echo))
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
