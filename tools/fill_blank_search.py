"""Train several fill-blank recipes at once, each in its own process, for a fixed
number of seconds, and keep each one's best checkpoint (lowest validation loss).

Made for one GPU, where the model is small enough that several runs share it:

    python tools/fill_blank_search.py --device cuda --seconds 330 --out runs/

Then pick one by validation, never by the test set: `--pick` prints each
checkpoint's validation loss (the three heads' summed loss on the validation
sentences of all three domains) and copies the lowest to `--keep`:

    python tools/fill_blank_search.py --pick runs/*.pt --keep fill-blank.pt

`--blanks N` also scores N validation blanks per domain (slower; a report, the
choice stays the validation loss). Each run is the engine's own `train` with
another recipe, starting from the next-word model's word vectors and reader. GPU
arithmetic is not bit-identical to the CPU's; on a CPU the same command runs
about 25 times slower.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.recipe_runs import run_children, search_parser  # noqa: E402

SHAPE = {"embed_size": 256, "hidden_size": 256, "num_layers": 2}
# name -> (dropout, share of inputs blanked, Adam step, resume --resume-from?,
#          hidden units per direction, sentences per batch)
RECIPES = {
    "resume-d25": (0.25, 0.10, 1e-3, True, 256, 64),
    "d25": (0.25, 0.10, 2e-3, False, 256, 64),
    "d40": (0.40, 0.15, 2e-3, False, 256, 64),
    "d50": (0.50, 0.20, 2e-3, False, 256, 64),
    # 7 epochs of d25 (330 s on a shared GPU) were far from done: a GPU reads
    # four times the sentences per step in about the same time
    "d25-b256": (0.25, 0.10, 4e-3, False, 256, 256),
    "resume-d25-b256": (0.25, 0.10, 2e-3, True, 256, 256),
    # the shipped model's validation loss had stopped falling at dropout 0.25: go on
    # with less dropout and a small step, to fit more of the fixed phrases (one CPU
    # epoch, 28 minutes: validation loss 13.80, worse than the shipped 13.74)
    "resume-d10-lr5": (0.10, 0.10, 5e-4, True, 256, 64),
}
SHIPPED = ROOT / "engine" / "checkpoints" / "fill-blank.pt"


def run_one(name: str, out: Path, seconds: float, device: str, start: Path) -> None:
    import torch

    from engine.checkpoints import add_metrics
    from engine.tasks import fill_blank
    from engine.train import TrainConfig

    torch.set_num_threads(2)
    dropout, blank_rate, lr, resume, hidden, batch_size = RECIPES[name]
    shape = SHAPE | {"dropout": dropout, "blank_rate": blank_rate}
    shape["hidden_size"] = hidden
    schedule = TrainConfig(
        epochs=200,  # the time limit ends the run first
        lr=lr,
        clip_norm=1.0,
        patience=6,
        lr_decay=0.5,  # halve the step after an epoch without progress
        max_seconds=seconds,
    )
    path = out / f"{name}.pt"
    fill_blank.train(
        False,
        path,
        resume=start if resume else None,
        device=device,
        settings=(shape, schedule),
        batch_size=batch_size,
    )
    recipe = (
        f"{name}: dropout {dropout}, blank rate {blank_rate}, Adam {lr:g}, "
        f"{batch_size} sentences a batch"
    )
    metrics = add_metrics(path, fill_blank.NAME, recipe=recipe, seconds=seconds)
    print(f"{name} done: {json.dumps(metrics)}", file=sys.stderr, flush=True)


def run_all(
    names: list[str], out: Path, seconds: float, device: str, start: Path
) -> int:
    """One process per recipe; their logs go to one file, line by line."""
    args = ["--out", str(out), "--seconds", str(seconds), "--device", device]
    args += ["--resume-from", str(start)]
    return run_children(__file__, names, out / "fill-blank.log", args)


def pick(paths: list[Path], keep: Path | None, blanks: int) -> Path:
    """The checkpoint with the lowest validation loss; with `blanks`, also each
    one's top-1 / top-5 on that many validation blanks of every domain."""
    from engine.tasks import fill_blank

    losses = {}
    for path in paths:
        metrics = fill_blank.load_checkpoint(path, fill_blank.NAME).metrics
        losses[path] = metrics["valid_loss"]
        report = {"checkpoint": str(path)} | metrics
        if blanks:
            reader = fill_blank.load_reader(path)
            ngram = fill_blank.ngram_baseline(reader.vocab)
            for domain in fill_blank.DOMAINS:
                items = fill_blank.exercises(
                    fill_blank.domain_sentences(domain, "valid"),
                    reader.vocab,
                    blanks,
                    fill_blank.BENCH_SEED,
                )
                report[domain] = fill_blank.score_domain(reader, ngram, items)
        print(json.dumps(report), flush=True)
    best = min(losses, key=losses.get)
    print(f"best on validation: {best} (valid loss {losses[best]})")
    if keep is not None:
        shutil.copy(best, keep)
    return best


def main() -> int:
    parser = search_parser(__doc__, Path("runs"), 420, list(RECIPES), "checkpoints")
    parser.add_argument(
        "--resume-from",
        type=Path,
        default=SHIPPED,
        help="the checkpoint that resume-* recipes continue (default: the shipped one)",
    )
    parser.add_argument("--blanks", type=int, default=0, help="with --pick: score")
    args = parser.parse_args()
    if args.pick:
        pick(args.pick, args.keep, args.blanks)
        return 0
    if args.one:
        run_one(args.one, args.out, args.seconds, args.device, args.resume_from)
        return 0
    names = args.recipes.split(",")
    return run_all(names, args.out, args.seconds, args.device, args.resume_from)


if __name__ == "__main__":
    sys.exit(main())
