#!/usr/bin/env bash
# Removes what install.sh installed (same PREFIX, default ~/.local): the program folder, the two
# commands, the launcher, the icon, and a "start at login" entry that starts this Mnemo.
# Your memory (the data folder, ~/.local/share/Mnemo by default) is left alone: delete it
# yourself if you want it gone.
set -euo pipefail
PREFIX=${PREFIX:-$HOME/.local}
LIB=$PREFIX/lib/mnemo
BIN=$PREFIX/bin
APPS=$PREFIX/share/applications
ICONS=$PREFIX/share/icons/hicolor
AUTOSTART=${XDG_CONFIG_HOME:-$HOME/.config}/autostart/mnemo.desktop

removed=0
for cmd in mnemo mnemo-gui; do  # only our links, never a `mnemo` installed some other way
  if [ -L "$BIN/$cmd" ] && [ "$(readlink "$BIN/$cmd")" = "$LIB/$cmd" ]; then
    rm -f "$BIN/$cmd"; removed=1
  fi
done
if [ -f "$APPS/mnemo.desktop" ] && grep -qF "$BIN/mnemo-gui" "$APPS/mnemo.desktop"; then
  rm -f "$APPS/mnemo.desktop"; removed=1
  rm -f "$ICONS/scalable/apps/mnemo.svg"
fi
# Preferences ▸ Startup writes an autostart entry naming the program's path; once the program is
# gone it would fail at every login.
if [ -f "$AUTOSTART" ] && grep -qF -e "$LIB/mnemo-gui" -e "$BIN/mnemo-gui" "$AUTOSTART"; then
  rm -f "$AUTOSTART"; removed=1
fi
if [ -d "$LIB" ]; then
  rm -rf "$LIB"; removed=1
fi
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" 2>/dev/null || true

if [ "$removed" = 1 ]; then
  echo "Mnemo is removed from $PREFIX."
else
  echo "Mnemo was not installed in $PREFIX (nothing removed)."
fi
echo "Your memory is still in ${MNEMO_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/Mnemo} (delete it yourself if you want it gone)."
