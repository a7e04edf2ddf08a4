"""Command line: python -m engine {train,predict,bench} TASK ...

Every model the app shows can be rebuilt, queried and measured from here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from engine.checkpoints import default_path
from engine.corpora import corpus_stats
from engine.errors import EngineError
from engine.tasks import all_tasks


def _build_parser(tasks: dict) -> argparse.ArgumentParser:
    task_lines = "\n".join(f"  {t.summary}" for t in tasks.values())
    parser = argparse.ArgumentParser(
        prog="python -m engine",
        description="Train, query and benchmark the RNN Playground models.",
        epilog=f"tasks:\n{task_lines}\n  corpora, gradients, shapes: bench only",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train a task's model and save it")
    train.add_argument("task", choices=sorted(tasks))
    train.add_argument("--quick", action="store_true", help="a tiny model in seconds")
    train.add_argument("--out", type=Path, help="where to save (default: shipped path)")
    train.add_argument(
        "--resume",
        type=Path,
        help="next-word and fill-blank: continue a run from its checkpoint",
    )
    train.add_argument(
        "--device",
        default="cpu",
        help="next-word, fill-blank: train on this torch device, e.g. cuda "
        "(the app needs none)",
    )

    predict = commands.add_parser("predict", help="run a trained model on texts")
    predict.add_argument("task", choices=sorted(tasks))
    predict.add_argument("texts", nargs="*", help="one or more texts")
    predict.add_argument("--file", help="read texts one per line ('-' for stdin)")
    predict.add_argument("--k", type=int, default=5, help="how many answers to rank")
    predict.add_argument("--json", action="store_true", help="print JSON")
    predict.add_argument("--checkpoint", type=Path, help="a checkpoint file to use")
    predict.add_argument(
        "--steps",
        action="store_true",
        help="sentiment only: the answer after each word",
    )

    bench = commands.add_parser("bench", help="measure a task's quality and speed")
    bench.add_argument(
        "task", choices=sorted(tasks) + ["corpora", "gradients", "shapes"]
    )
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument(
        "--json", type=Path, dest="json_path", help="also write JSON here"
    )
    bench.add_argument("--checkpoint", type=Path, help="a checkpoint file to measure")

    export = commands.add_parser(
        "export-corpus", help="write a corpus's exact tokenized splits as text files"
    )
    export.add_argument("corpus", choices=["bbc"])
    export.add_argument("directory", type=Path)
    return parser


def _progress_bar():
    """A tqdm bar fed by the Trainer's on_step callback."""
    from tqdm import tqdm

    bar = None

    def on_step(progress) -> None:
        nonlocal bar
        if bar is not None and progress.step <= bar.n:  # a task's next training run
            bar.close()
            bar = None
        if bar is None:
            bar = tqdm(total=progress.total_steps, unit="step", mininterval=0.5)
        bar.update(progress.step - bar.n)
        bar.set_postfix(
            epoch=progress.epoch, loss=f"{progress.loss:.3f}", refresh=False
        )

    return on_step


def _page_timing(page: str) -> dict:
    """The page's rerun time, measured by tools/page_timing.py in its own process
    (the engine itself never imports Streamlit)."""
    import subprocess

    tool = Path(__file__).resolve().parents[1] / "tools" / "page_timing.py"
    result = subprocess.run(
        [sys.executable, str(tool), "--page", page], capture_output=True, text=True
    )
    if result.returncode != 0 or "{" not in result.stdout:
        return {"page_rerun_ms": None, "page_timing_error": result.stderr[-300:]}
    timing = json.loads(result.stdout[result.stdout.index("{") :])
    return {
        "page_rerun_ms": timing["rerun_p50_ms"],
        "page_rerun_max_ms": timing["rerun_max_ms"],
    }


def _read_texts(args: argparse.Namespace) -> list[str]:
    texts = list(args.texts)
    if args.file:
        stream = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")
        with stream:
            texts += [line.rstrip("\n") for line in stream if line.strip()]
    if not texts:
        raise EngineError("Give at least one text, or --file PATH ('-' for stdin).")
    return texts


def main(argv: list[str] | None = None) -> int:
    tasks = all_tasks()
    args = _build_parser(tasks).parse_args(argv)
    try:
        if args.command == "train":
            out = args.out or default_path(args.task)
            start = time.perf_counter()
            extra = {}
            if args.resume:
                if args.task not in ("next-word", "fill-blank"):
                    raise EngineError(
                        "Only the next-word and fill-blank tasks can resume a run."
                    )
                extra["resume"] = args.resume
            if args.device != "cpu":
                if args.task not in ("next-word", "fill-blank"):
                    raise EngineError(
                        "Only the next-word and fill-blank tasks train on --device."
                    )
                extra["device"] = args.device
            metrics = tasks[args.task].train(args.quick, out, _progress_bar(), **extra)
            took = time.perf_counter() - start
            print(f"saved {out} in {took:.0f} s: {json.dumps(metrics)}")
        elif args.command == "export-corpus":
            from engine.tasks.next_word import export_corpus

            for path in export_corpus(args.directory):
                print(f"wrote {path}")
        elif args.command == "predict":
            checkpoint = args.checkpoint or default_path(args.task)
            extra = {}
            if args.steps:
                if args.task != "sentiment":
                    raise EngineError("Only the sentiment task reads --steps.")
                extra["steps"] = True
            results = tasks[args.task].predict(
                _read_texts(args), checkpoint, args.k, **extra
            )
            for result in results:
                print(json.dumps(result, ensure_ascii=False) if args.json else result)
        else:
            if args.task == "corpora":
                report = corpus_stats()
            elif args.task == "shapes":
                from engine.shapes import bench_shapes

                report = bench_shapes(args.quick)
                if not args.quick:  # a time-slider move on "Step through time"
                    report |= _page_timing("step_through")
            elif args.task == "gradients":
                from engine.gradients import bench_gradients

                report = bench_gradients(args.quick)
                if not args.quick:
                    report |= _page_timing("gradient_lab")
            else:
                checkpoint = args.checkpoint or default_path(args.task)
                report = tasks[args.task].bench(args.quick, checkpoint)
                if args.task == "fill-blank" and not args.quick:
                    report |= _page_timing("fill_blank")
                if args.task == "sentiment" and not args.quick:
                    report |= _page_timing("sentiment")
                    bi = _page_timing("sentiment_bi")
                    report["page_rerun_bi_ms"] = bi["page_rerun_ms"]
            text = json.dumps(report, indent=2)
            print(text)
            if args.json_path:
                args.json_path.write_text(text + "\n", encoding="utf-8")
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
