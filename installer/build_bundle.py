"""Build the offline install bundle: the kit's wheel, every dependency's wheel, the scripts.

    python installer/build_bundle.py [--out DIR] [--targets linux-x86_64,windows-amd64]
                                     [--python 3.11,3.12] [--archive]

Run it on a machine with access to PyPI; the bundle then installs with no network
(``pip install --no-index``). Binary wheels only (``--only-binary=:all:``), so
nothing is compiled on a workstation. The bundle holds:

    VERSION, SHA256SUMS, README-INSTALL.md, CHANGELOG.md, site-exemple.toml
    install.sh (Linux), install.ps1 (Windows), launchers/ (menu entries)
    wheels/  the kit and its dependencies for every target and Python version

VERSION is the version of the kit's wheel, which the build reads from
``continuity.__version__`` (the one place it is written). The SHA-256 of SHA256SUMS
is the bundle's build identity: the installers record it beside the installed
version and refuse another build with the same version number.
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# pip needs every platform tag a wheel may carry; manylinux 2.17 (CentOS 7) to 2.39.
LINUX_TAGS = ["manylinux2014_x86_64", *(f"manylinux_2_{n}_x86_64" for n in range(17, 40)), "linux_x86_64"]
TARGETS = {"linux-x86_64": LINUX_TAGS, "windows-amd64": ["win_amd64"]}
SHIPPED = ["install.sh", "install.ps1", "site-exemple.toml"]


def wheel_version(wheel: Path) -> str:
    """The version the build gave the kit's wheel (from its METADATA, not from its name)."""
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(z.read(name).decode("utf-8"), headersonly=True)
    return str(meta["Version"])


def run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def build(out: Path, targets: list[str], pythons: list[str]) -> Path:
    pip = [sys.executable, "-m", "pip"]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as staging:
        run([*pip, "wheel", "--no-deps", "--quiet", "--wheel-dir", staging, str(ROOT)])
        [built] = Path(staging).glob("continuity_kit-*.whl")
        ver = wheel_version(built)
        bundle = out / f"continuity-kit-{ver}"
        if bundle.exists():
            shutil.rmtree(bundle)
        wheels = bundle / "wheels"
        wheels.mkdir(parents=True)
        own = Path(shutil.move(built, wheels / built.name))
    for target in targets:
        for py in pythons:
            platform_args = [a for tag in TARGETS[target] for a in ("--platform", tag)]
            run(
                [
                    *pip,
                    "download",
                    "--quiet",
                    "--only-binary=:all:",
                    "--implementation",
                    "cp",
                    "--python-version",
                    py,
                    *platform_args,
                    "--dest",
                    str(wheels),
                    str(own),
                ]
            )
    # Prove each target installs from the bundle alone: resolve with no index.
    for target in targets:
        for py in pythons:
            platform_args = [a for tag in TARGETS[target] for a in ("--platform", tag)]
            with tempfile.TemporaryDirectory() as scratch:
                run(
                    [
                        *pip,
                        "install",
                        "--quiet",
                        "--dry-run",
                        "--ignore-installed",
                        "--no-index",
                        "--find-links",
                        str(wheels),
                        "--only-binary=:all:",
                        "--implementation",
                        "cp",
                        "--python-version",
                        py,
                        *platform_args,
                        "--target",
                        scratch,
                        f"continuity-kit=={ver}",
                    ]
                )
    for name in SHIPPED:
        shutil.copy2(HERE / name, bundle / name)
    shutil.copytree(HERE / "launchers", bundle / "launchers")
    shutil.copy2(HERE / "README.md", bundle / "README-INSTALL.md")
    if (ROOT / "CHANGELOG.md").is_file():  # (the first release had none)
        shutil.copy2(ROOT / "CHANGELOG.md", bundle / "CHANGELOG.md")
    (bundle / "VERSION").write_text(ver + "\n", encoding="ascii")
    (bundle / "TARGETS").write_text(
        "".join(f"{t} cp{p.replace('.', '')}\n" for t in targets for p in pythons), encoding="ascii"
    )
    sums = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        sums.append(f"{digest}  {path.relative_to(bundle).as_posix()}\n")
    (bundle / "SHA256SUMS").write_text("".join(sums), encoding="ascii")
    return bundle


def build_identity(bundle: Path) -> str:
    """What install.sh and install.ps1 record beside the installed version."""
    return hashlib.sha256((bundle / "SHA256SUMS").read_bytes()).hexdigest()


def archive(bundle: Path) -> list[Path]:
    tar = bundle.with_name(bundle.name + ".tar.gz")
    with tarfile.open(tar, "w:gz") as t:
        t.add(bundle, arcname=bundle.name)
    zipped = bundle.with_name(bundle.name + ".zip")
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(bundle.rglob("*")):
            z.write(path, Path(bundle.name) / path.relative_to(bundle))
    return [tar, zipped]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", default=str(ROOT / "dist"))
    parser.add_argument("--targets", default="linux-x86_64,windows-amd64")
    parser.add_argument("--python", default="3.11,3.12")
    parser.add_argument("--archive", action="store_true", help="also a .tar.gz and a .zip")
    args = parser.parse_args(argv)
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)} (known: {', '.join(TARGETS)})")
    bundle = build(Path(args.out), targets, [p.strip() for p in args.python.split(",") if p.strip()])
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    print(f"Bundle: {bundle} ({size / 1e6:.0f} MB, {len(list((bundle / 'wheels').iterdir()))} wheels)")
    print(f"Build identity (SHA-256 of SHA256SUMS): {build_identity(bundle)}")
    if args.archive:
        for path in archive(bundle):
            print(f"Archive: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
