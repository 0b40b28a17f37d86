"""Exit 0 when Qt widgets can start on this machine (used by scripts/bootstrap.sh)."""
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label = QLabel("Mnemo")
label.show()
app.processEvents()
print("Qt ok:", app.platformName())
