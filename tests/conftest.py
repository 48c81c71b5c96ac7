import os
import signal
import time

from hypothesis import HealthCheck, settings

# Shared machines are noisy: no per-example deadline; fixed seeds keep CI repeatable.
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Dates and times are shown in local time: the suite runs in UTC wherever it runs (screen
# snapshots, the README's examples, the CLI in subprocesses); tests of a zone set TZ themselves.
os.environ["TZ"] = "UTC"
time.tzset()

# A suite started in the background by a non-interactive shell (`./.ci/run &`) inherits
# Ctrl-C ignored: Python then installs no KeyboardInterrupt handler, neither here nor in the
# tracker processes the tests start, and every Ctrl-C test fails. A handler set here is
# reset to the default by exec in those processes, so they get theirs again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
