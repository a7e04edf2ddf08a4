"""The code style is part of the suite: ruff's lint rules and its formatter."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUFF = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")


def test_ruff_check_is_clean():
    result = subprocess.run(
        [RUFF, "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_ruff_format_is_clean():
    result = subprocess.run(
        [RUFF, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_engine_never_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "engine").rglob("*.py")
        if any(
            line.strip().startswith(("import streamlit", "from streamlit"))
            for line in path.read_text().splitlines()
        )
    ]
    assert offenders == []


def test_learner_text_is_never_html_and_never_logged():
    app_files = [ROOT / "streamlit_app.py", *(ROOT / "playground").glob("*.py")]
    app_files += list((ROOT / "pages").glob("*.py"))
    for path in app_files:
        source = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in source, path
        assert "logging" not in source and "print(" not in source, path
        # the one st.html is the presentation mode's fixed stylesheet
        for line in source.splitlines():
            if "st.html(" in line:
                assert line.strip() == "st.html(_PRESENTATION_CSS)", (path, line)


def test_checkpoints_are_only_loaded_with_weights_only():
    for folder in ("engine", "playground", "pages", "tools"):
        for path in (ROOT / folder).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                code = line.split("#")[0]
                if "torch.load(" in code and '"' not in code.split("torch.load(")[0]:
                    assert "weights_only=True" in code, (path, line)
            assert "import pickle" not in path.read_text(encoding="utf-8"), path
