#!/usr/bin/env bash
# Installs Mnemo for you alone, without root: the program folder in ~/.local/lib/mnemo, the
# commands `mnemo` and `mnemo-gui` in ~/.local/bin, the launcher and icon under ~/.local/share.
# Run it again to upgrade (your memory is kept). PREFIX=/some/where installs there instead of
# ~/.local. Your memory itself lives in ~/.local/share/Mnemo and is never touched by this script
# or by uninstall.sh.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
LIB=$PREFIX/lib/mnemo
BIN=$PREFIX/bin
APPS=$PREFIX/share/applications
ICONS=$PREFIX/share/icons/hicolor
die() { echo "install.sh: $*" >&2; exit 1; }

[ -x "$HERE/mnemo/mnemo" ] && [ -x "$HERE/mnemo/mnemo-gui" ] || die "run it from the unpacked folder (mnemo/ is missing)."
case "$(uname -m)" in x86_64|amd64) ;; *) die "this Mnemo is for x86_64 Linux; this machine is $(uname -m).";; esac

# An Exec argument as the Desktop Entry spec quotes it (as ui/autostart.py does): plain when it
# can be, else in double quotes with " ` $ \ escaped, then % and \ doubled for the string type.
desktop_quote() {
  local arg=$1 special=$' \t\n"\'\\><~|&;$*?#()`%='
  if [[ $arg != *["$special"]* ]]; then printf '%s' "$arg"; return; fi
  arg=${arg//\\/\\\\}; arg=${arg//\"/\\\"}; arg=${arg//\`/\\\`}; arg=${arg//\$/\\\$}
  arg="\"$arg\""; arg=${arg//%/%%}; arg=${arg//\\/\\\\}
  printf '%s' "$arg"
}

# The program folder: copied beside the old one, then swapped in (a running Mnemo keeps working
# until it is restarted).
mkdir -p "$(dirname "$LIB")" "$BIN" "$APPS" "$ICONS/scalable/apps"
rm -rf "$LIB.new" "$LIB.old"
cp -a "$HERE/mnemo" "$LIB.new"
install -m755 "$HERE/uninstall.sh" "$LIB.new/uninstall.sh"
[ ! -e "$LIB" ] || mv "$LIB" "$LIB.old"
mv "$LIB.new" "$LIB"
rm -rf "$LIB.old"

ln -sfn "$LIB/mnemo" "$BIN/mnemo"
ln -sfn "$LIB/mnemo-gui" "$BIN/mnemo-gui"

# The launcher names the program by its full path: a desktop's menu may not have ~/.local/bin on
# its PATH.
exec_path=$(desktop_quote "$BIN/mnemo-gui")
while IFS= read -r line || [ -n "$line" ]; do
  case $line in
    Exec=mnemo-gui*) line="Exec=$exec_path${line#Exec=mnemo-gui}" ;;
  esac
  printf '%s\n' "$line"
done < "$HERE/share/mnemo.desktop" > "$APPS/mnemo.desktop.new"
chmod 644 "$APPS/mnemo.desktop.new"
mv "$APPS/mnemo.desktop.new" "$APPS/mnemo.desktop"
install -m644 "$HERE/share/mnemo.svg" "$ICONS/scalable/apps/mnemo.svg"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" 2>/dev/null || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true

echo "Mnemo is installed in $LIB."
echo "Start it from your applications menu, or run: $BIN/mnemo-gui   (the command line: $BIN/mnemo)"
case ":$PATH:" in
  *":$BIN:"*) ;;
  *) echo "Note: $BIN is not on your PATH; add it (e.g. in ~/.profile) to type 'mnemo' and 'mnemo-gui' anywhere." ;;
esac
echo "To remove it: $LIB/uninstall.sh (your memory in ~/.local/share/Mnemo stays)."
