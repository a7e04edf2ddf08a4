"""Train several next-word (stage 2: news + everyday English) recipes at once, each
in its own process, for a fixed number of seconds, and keep the one with the
lowest validation perplexity (both domains' validation documents together).

Made for one GPU, where the model is small enough that several runs share it:

    python tools/next_word_search.py --device cuda --seconds 300 --out runs/

Each run is the engine's own `train` with another recipe; `--pick` only reads
the validation perplexity each checkpoint stored, never a test number:

    python tools/next_word_search.py --pick runs/*.pt

On a CPU the same command runs about 50 times slower (GPU arithmetic is not
bit-identical to the CPU's, so a rerun gives close, not equal, weights).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.recipe_runs import run_children, search_parser  # noqa: E402

SHIPPED = ROOT / "engine" / "checkpoints" / "next-word.pt"
# name -> (dropout, Adam step, everyday repeats, start from: "bbc" (the BBC
# model), "random" weights or "shipped" (go on training the shipped checkpoint))
# "resume" instead finishes the shipped run's own schedule (its epochs 8-10).
RECIPES = {
    "resume": None,
    "bbc-d30": (0.3, 1e-3, 1, "bbc"),
    "bbc-d40-x2": (0.4, 1e-3, 2, "bbc"),
    "bbc-d50-x3": (0.5, 1e-3, 3, "bbc"),
    "scratch-d40-x2": (0.4, 2e-3, 2, "random"),
    # the shipped bbc-d30 run went on improving when its time ran out: more
    # epochs at a smaller step, as it was, with less dropout, or with more everyday
    "more-d30": (0.3, 2.5e-4, 1, "shipped"),
    "more-d20": (0.2, 2.5e-4, 1, "shipped"),
    "more-d30-x2": (0.3, 2.5e-4, 2, "shipped"),
}


def run_one(name: str, out: Path, seconds: float, device: str) -> None:
    import torch

    from engine.checkpoints import add_metrics
    from engine.language_model import LMConfig
    from engine.tasks import next_word
    from engine.train import TrainConfig

    torch.set_num_threads(2)
    path = out / f"{name}.pt"
    if RECIPES[name] is None:
        next_word.train(False, path, resume=SHIPPED, device=device)
        add_metrics(path, next_word.NAME, recipe="resume: the shipped schedule")
        return
    dropout, lr, repeats, start = RECIPES[name]
    recipe = next_word.MixRecipe(
        model=LMConfig(
            vocab_size=next_word.VOCAB_SIZE,
            hidden_size=256,
            num_layers=2,
            dropout=dropout,
        ),
        schedule=TrainConfig(
            epochs=200,  # the time limit or early stopping ends the run first
            lr=lr,
            clip_norm=0.5,
            patience=4,
            shuffle=False,  # windows in order: the carried state is the same text's
            lr_decay=0.25,  # a quarter of the step after an epoch without progress
            max_seconds=seconds,
        ),
        everyday_repeats=repeats,
        from_bbc=start == "bbc",
    )
    resume = SHIPPED if start == "shipped" else None
    next_word.train(False, path, device=device, recipe=recipe, resume=resume)
    origin = {
        "bbc": "from the BBC model",
        "random": "from random weights",
        "shipped": "going on from the shipped checkpoint",
    }[start]
    text = f"{name}: dropout {dropout}, Adam {lr:g}, everyday x{repeats}, {origin}"
    metrics = add_metrics(path, next_word.NAME, recipe=text, seconds=seconds)
    print(f"{name} done: {json.dumps(metrics)}", file=sys.stderr, flush=True)


def run_all(names: list[str], out: Path, seconds: float, device: str) -> int:
    """One process per recipe; their logs go to one file, line by line."""
    args = ["--out", str(out), "--seconds", str(seconds), "--device", device]
    return run_children(__file__, names, out / "next-word.log", args)


def pick(paths: list[Path], keep: Path | None = None) -> Path:
    """The checkpoint with the lowest validation perplexity (printed for all)."""
    from engine.checkpoints import load_checkpoint
    from engine.tasks import next_word

    scores = {}
    for path in paths:
        metrics = load_checkpoint(path, next_word.NAME).metrics
        scores[path] = metrics["valid_ppl"]
        print(json.dumps({"checkpoint": str(path)} | metrics))
    best = min(scores, key=scores.get)
    print(f"best on validation: {best} (valid ppl {scores[best]})")
    if keep is not None:
        shutil.copy(best, keep)
    return best


def main() -> int:
    parser = search_parser(__doc__, Path("runs"), 300, list(RECIPES), "checkpoints")
    args = parser.parse_args()
    if args.pick:
        pick(args.pick, args.keep)
        return 0
    if args.one:
        run_one(args.one, args.out, args.seconds, args.device)
        return 0
    return run_all(args.recipes.split(","), args.out, args.seconds, args.device)


if __name__ == "__main__":
    sys.exit(main())
