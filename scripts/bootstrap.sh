#!/usr/bin/env bash
# Installs whatever is missing into a project-local virtual environment (.venv), and the
# system libraries Qt needs to run (offscreen included). Safe to run again: it only does
# what is not done yet. Used by `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      PY=$candidate; break
    fi
  done
fi
[ -n "$PY" ] || { echo "bootstrap: Mnemo needs Python 3.11 or newer; none was found." >&2; exit 1; }

VENV=.venv
# llama-cpp-python compiles llama.cpp. A "native" build turns on every instruction set the
# build machine has, including Intel AMX, whose ggml path crashes (SIGSEGV in llama_decode)
# on some machines; build a portable AVX2 wheel once instead and keep it outside the venv.
LLAMA_VERSION=0.3.36
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
WHEELS=${MNEMO_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mnemo/wheels/llama-avx2}

install_llama_cpp() {
  local wheel
  wheel=$(ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -n 1 || true)
  if [ -z "$wheel" ]; then
    echo "bootstrap: compiling llama-cpp-python $LLAMA_VERSION (portable AVX2 build, ~8 minutes the first time)"
    mkdir -p "$WHEELS"
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" "$VENV/bin/python" -m pip wheel --quiet --no-deps --no-cache-dir \
      "llama-cpp-python==$LLAMA_VERSION" -w "$WHEELS"
    wheel=$(ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl | head -n 1)
  fi
  "$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps "$wheel"
  "$VENV/bin/python" -m pip install --quiet "${extra[@]}" "$wheel"
}
STAMP=$VENV/.installed
if [ ! -x "$VENV/bin/python" ]; then
  echo "bootstrap: creating $VENV with $($PY --version)"
  "$PY" -m venv "$VENV"
fi

if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ] || [ scripts/bootstrap.sh -nt "$STAMP" ]; then
  echo "bootstrap: installing Mnemo and its dependencies (the first time compiles llama-cpp-python: ~8 minutes)"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip wheel
  # torch is pinned; a CPU build of it is preferred (a local wheel directory is used when present).
  extra=()
  [ -d /opt/wheels ] && extra+=(--find-links /opt/wheels)
  "$VENV/bin/python" -m pip install --quiet "${extra[@]}" torch==2.13.0
  install_llama_cpp
  "$VENV/bin/python" -m pip install --quiet "${extra[@]}" -e '.[test]'
  touch "$STAMP"
fi

# Qt needs a few shared libraries even offscreen, and more for a real screen (X11's xcb plugin
# needs libxcb-cursor0 and friends); check the platform that will really be used and install
# what is missing, or say exactly what to install.
QT_PKGS="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core \
libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 \
libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libwayland-client0 libwayland-cursor0 \
libwayland-egl1"
qt_ok() {  # $1: the platform to try ("offscreen"), or "" for the one `make run` will use: QT_QPA_PLATFORM
           # as set (wayland, xcb, "wayland;xcb"), else Qt's own choice (wayland when WAYLAND_DISPLAY is set)
  if [ -n "$1" ]; then
    QT_QPA_PLATFORM="$1" "$VENV/bin/python" scripts/check_qt.py >/dev/null 2>&1
  else
    "$VENV/bin/python" scripts/check_qt.py >/dev/null 2>&1
  fi
}
install_qt_libraries() {
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing the system libraries Qt needs: $QT_PKGS"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $QT_PKGS >/dev/null
  else
    echo "bootstrap: Qt cannot start here and this system has no apt-get; install Qt's runtime libraries:" \
         "EGL, GL, xkbcommon, fontconfig, and for a desktop the xcb-cursor, xcb-icccm, xcb-image, xcb-keysyms," \
         "xcb-randr, xcb-render-util, xcb-shape, xcb-xinerama, xcb-xkb and xkbcommon-x11 libraries" \
         "(or Wayland's client libraries)." >&2
  fi
}
if ! qt_ok offscreen; then
  install_qt_libraries
  QT_QPA_PLATFORM=offscreen "$VENV/bin/python" scripts/check_qt.py
fi
if { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } && [ "${QT_QPA_PLATFORM:-}" != offscreen ] \
    && ! qt_ok ""; then  # a desktop: the window must open on it, not only offscreen
  install_qt_libraries
  if ! qt_ok ""; then
    echo "bootstrap: Qt cannot open a window on this desktop (DISPLAY=${DISPLAY:-} WAYLAND_DISPLAY=${WAYLAND_DISPLAY:-}" \
         "QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-(unset: Qt picks)})." >&2
    echo "bootstrap: what Qt says:" >&2
    "$VENV/bin/python" scripts/check_qt.py 2>&1 | tail -n 5 >&2 || true
    echo "bootstrap: install these packages (Debian/Ubuntu names) and run make run again: $QT_PKGS" >&2
    exit 1
  fi
fi
