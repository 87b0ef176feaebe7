"""Guard against a Qt binding that miscounts references to None/True.

PySide6 6.12.0 on Python 3.10/3.11 drops one reference to None on every void Qt call (and to True on
signal emits); after some hours of use None's count reaches zero and the process aborts with
"deallocating None". Python 3.12+ makes None immortal, so the check only bites below 3.12, which is
exactly where it matters. Runs in a subprocess, because a failure is an abort, not an exception.
"""

import os
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    label = QLabel()

    class Emitter(QObject):
        fired = Signal()

    emitter = Emitter()
    emitter.fired.connect(lambda: None)
    none0, true0 = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(200):
        label.setText("x")
        label.setVisible(False)
        emitter.fired.emit()
    print(sys.getrefcount(None) - none0, sys.getrefcount(True) - true0)
    """
)


def test_void_calls_and_emits_keep_none_and_true_alive():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    none_delta, true_delta = (int(x) for x in done.stdout.split())
    # A handful of references may legitimately come and go; a leak is one per call (200+).
    assert none_delta > -20, f"None lost {-none_delta} references in 600 Qt calls: unusable Qt binding"
    assert true_delta > -20, f"True lost {-true_delta} references in 200 emits: unusable Qt binding"
